package io.etcetera.kernel.server;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One member of the cluster as the {@code members} bucket stores it (etcd's
 * {@code membership.Member}: id, name, peer URLs, client URLs), encoded as etcd's member JSON
 * {@code {"id":<unsigned decimal>,"peerURLs":[...],"name":"...","clientURLs":[...]}}.
 *
 * @param id the member id (etcd's {@code computeMemberId})
 * @param name the member's {@code --name}
 * @param peerUrls its advertised peer URLs
 * @param clientUrls its advertised client URLs; empty until the member published them (etcd's
 *     {@code publish}) or for a member added but never started
 * @param isLearner whether the member is a non-voting learner (etcd's {@code IsLearner})
 */
public record ClusterMember(long id, String name, List<URI> peerUrls, List<URI> clientUrls, boolean isLearner) {

    public ClusterMember {
        peerUrls = List.copyOf(peerUrls);
        clientUrls = List.copyOf(clientUrls);
    }

    /** A voting member. */
    public ClusterMember(long id, String name, List<URI> peerUrls, List<URI> clientUrls) {
        this(id, name, peerUrls, clientUrls, false);
    }

    /**
     * Whether the member has started: it published its name through the log (etcd's
     * {@code Member.IsStarted}). A member added with {@code member add} has no name until it runs.
     */
    public boolean isStarted() {
        return !name.isEmpty();
    }

    /** This member with the attributes it published: its name and client URLs. */
    ClusterMember withAttributes(String newName, List<URI> newClientUrls) {
        return new ClusterMember(id, newName, peerUrls, newClientUrls, isLearner);
    }

    /** This member with other peer URLs ({@code member update}). */
    ClusterMember withPeerUrls(List<URI> newPeerUrls) {
        return new ClusterMember(id, name, newPeerUrls, clientUrls, isLearner);
    }

    /** This learner as a voting member ({@code member promote}). */
    ClusterMember promoted() {
        return new ClusterMember(id, name, peerUrls, clientUrls, false);
    }

    /** etcd's member JSON, field order as etcd writes it ({@code isLearner} only when true). */
    byte[] toJson() {
        String json = "{\"id\":" + Long.toUnsignedString(id)
                + ",\"peerURLs\":" + jsonArray(peerUrls)
                + (isLearner ? ",\"isLearner\":true" : "")
                + ",\"name\":" + jsonString(name)
                + ",\"clientURLs\":" + jsonArray(clientUrls)
                + "}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Parses what {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException when {@code json} is not such a record
     */
    static ClusterMember fromJson(byte[] json) {
        JsonReader in = new JsonReader(new String(json, StandardCharsets.UTF_8));
        long id = 0;
        String name = "";
        List<URI> peerUrls = List.of();
        List<URI> clientUrls = List.of();
        boolean isLearner = false;
        in.expect('{');
        do {
            String field = in.string();
            in.expect(':');
            switch (field) {
                case "id" -> id = Long.parseUnsignedLong(in.number());
                case "name" -> name = in.string();
                case "peerURLs" -> peerUrls = in.urls();
                case "clientURLs" -> clientUrls = in.urls();
                case "isLearner" -> isLearner = in.bool();
                default -> throw new IllegalArgumentException("unknown member field " + field);
            }
        } while (in.skipIf(','));
        in.expect('}');
        return new ClusterMember(id, name, peerUrls, clientUrls, isLearner);
    }

    private static String jsonArray(List<URI> urls) {
        return urls.stream().map(u -> jsonString(u.toString())).collect(Collectors.joining(",", "[", "]"));
    }

    private static String jsonString(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Just enough JSON for the member record: strings, unsigned numbers, arrays of strings. */
    private static final class JsonReader {
        private final String text;
        private int pos;

        JsonReader(String text) {
            this.text = text;
        }

        void expect(char c) {
            if (pos >= text.length() || text.charAt(pos) != c) {
                throw new IllegalArgumentException("malformed member record at " + pos + ": " + text);
            }
            pos++;
        }

        boolean skipIf(char c) {
            if (pos < text.length() && text.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        boolean bool() {
            if (text.startsWith("true", pos)) {
                pos += 4;
                return true;
            }
            if (text.startsWith("false", pos)) {
                pos += 5;
                return false;
            }
            throw new IllegalArgumentException("malformed member record at " + pos + ": " + text);
        }

        String number() {
            int start = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            return text.substring(start, pos);
        }

        String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (text.charAt(pos) != '"') {
                char c = text.charAt(pos++);
                if (c == '\\') {
                    char escaped = text.charAt(pos++);
                    if (escaped == 'u') {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                        pos += 4;
                    } else {
                        out.append(escaped);
                    }
                } else {
                    out.append(c);
                }
            }
            pos++;
            return out.toString();
        }

        List<URI> urls() {
            expect('[');
            List<URI> urls = new ArrayList<>();
            if (!skipIf(']')) {
                do {
                    urls.add(URI.create(string()));
                } while (skipIf(','));
                expect(']');
            }
            return urls;
        }
    }
}
