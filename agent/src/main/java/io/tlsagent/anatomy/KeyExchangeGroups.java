package io.tlsagent.anatomy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which key-exchange groups are post-quantum, and a bounded label for a group's name. Post-quantum are the hybrids
 * (an ML-KEM, or the retired drafts' Kyber, combined with a classical curve) and the pure ML-KEM groups; the
 * hybrids are what browsers and BoringSSL-based stacks offer today. Code points from the IANA TLS Supported Groups
 * registry (and the drafts it references).
 */
public final class KeyExchangeGroups {

    /** The label of a group whose name is not one of {@link TlsNames}' (a private or unregistered code point). */
    public static final String OTHER = "other";

    /** Code point to kind: {@code hybrid} or {@code pure}. */
    private static final Map<Integer, String> POST_QUANTUM = new HashMap<>();
    /** The same by name (JSSE names its groups with the registry's names). */
    private static final Map<String, String> POST_QUANTUM_NAMES = new HashMap<>();

    static {
        for (int id : new int[] {0x11EB, 0x11EC, 0x11ED, 0x6399, 0x639A}) {
            POST_QUANTUM.put(id, "hybrid");
        }
        for (int id : new int[] {0x0200, 0x0201, 0x0202}) {
            POST_QUANTUM.put(id, "pure");
        }
        POST_QUANTUM.forEach((id, kind) -> POST_QUANTUM_NAMES.put(TlsNames.group(id).toLowerCase(Locale.ROOT), kind));
    }

    private KeyExchangeGroups() {}

    /** Whether this code point is a post-quantum group (hybrid or pure ML-KEM). */
    public static boolean isPostQuantum(int id) {
        return POST_QUANTUM.containsKey(id);
    }

    /** Whether this group name (the registry's, any case) is a post-quantum group. */
    public static boolean isPostQuantum(String name) {
        return name != null && POST_QUANTUM_NAMES.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Whether this is a hybrid group (classical and post-quantum together), by name. */
    public static boolean isHybrid(String name) {
        return name != null && "hybrid".equals(POST_QUANTUM_NAMES.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Whether any of these supported_groups code points is post-quantum. */
    public static boolean anyPostQuantum(List<Integer> ids) {
        for (int id : ids) {
            if (isPostQuantum(id)) {
                return true;
            }
        }
        return false;
    }

    /** The registry's name of this group (as {@link TlsNames} spells it) if it has one, else {@link #OTHER}. */
    public static String label(String name) {
        return name != null && TlsNames.isGroupName(name) ? TlsNames.canonicalGroupName(name) : OTHER;
    }
}
