package io.tlsagent.anatomy;

import java.util.ArrayList;
import java.util.List;

/** What the hello parsers share: the first error met, the truncation flag, and capped list reading. */
abstract class ParseState {

    String error;
    boolean truncated;

    /** Keeps the first problem: later ones are usually its echoes. */
    final void fail(String message) {
        if (error == null) {
            error = message;
        }
    }

    /** Reads 2-byte values until the reader is empty, keeping at most {@code cap}. */
    final List<Integer> u16List(TlsReader r, int cap, String what) {
        if (r.remaining() % 2 != 0) {
            fail(what + ": odd length " + r.remaining());
        }
        List<Integer> out = new ArrayList<>(Math.min(r.remaining() / 2, cap));
        while (r.remaining() >= 2) {
            int v = r.u16(what);
            if (out.size() < cap) {
                out.add(v);
            } else {
                truncated = true;
            }
        }
        return out;
    }

    /** Reads 1-byte values until the reader is empty, keeping at most {@code cap}. */
    final List<Integer> u8List(TlsReader r, int cap, String what) {
        List<Integer> out = new ArrayList<>(Math.min(r.remaining(), cap));
        while (r.hasRemaining()) {
            int v = r.u8(what);
            if (out.size() < cap) {
                out.add(v);
            } else {
                truncated = true;
            }
        }
        return out;
    }

    /**
     * Parses one extension body; a malformed body is reported and skipped, since the outer length already
     * says where the next extension starts.
     */
    final void extension(int type, TlsReader data) {
        try {
            onExtension(type, data);
            if (data.hasRemaining()) {
                fail("extension " + TlsNames.extension(type) + ": " + data.remaining() + " trailing bytes");
            }
        } catch (Malformed e) {
            fail("extension " + TlsNames.extension(type) + ": " + e.getMessage());
        }
    }

    abstract void onExtension(int type, TlsReader data);

    /** Reads the extensions block: types in order (capped), bodies handed to {@link #onExtension}. */
    final void extensions(TlsReader r, List<Integer> types) {
        TlsReader all = r.vector16("extensions");
        while (all.hasRemaining()) {
            int type = all.u16("extension type");
            int length = all.u16("extension length");
            if (length > all.remaining()) {
                // Named only on failure: the happy path builds no strings.
                throw new Malformed("extension " + TlsNames.extension(type) + ": needs " + length + " bytes, "
                        + all.remaining() + " left");
            }
            TlsReader data = all.take(length, "extension");
            if (types.size() < Limits.MAX_EXTENSIONS) {
                types.add(type);
            } else {
                truncated = true;
            }
            if (types.indexOf(type) != types.lastIndexOf(type)) {
                fail("extension " + TlsNames.extension(type) + " repeated");
                continue;
            }
            extension(type, data);
        }
    }
}
