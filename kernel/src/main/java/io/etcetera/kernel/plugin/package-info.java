/**
 * The plugin registry: storage backends and API front ends found with
 * {@link java.util.ServiceLoader} and chosen by their stable id.
 */
package io.etcetera.kernel.plugin;
