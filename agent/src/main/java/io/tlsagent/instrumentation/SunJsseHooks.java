package io.tlsagent.instrumentation;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tlsagent.bootstrap.SunJsseEvents;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;

/**
 * SunJSSE, the JDK's own TLS implementation, hooked deeply: seven types of {@code sun.security.ssl}, present in JDK
 * 11 to 25. Each nested class is one hooked type: its name and its advice. The advice passes SunJSSE's objects on as
 * plain objects and names no field of SunJSSE's, so a field missing in one JDK version can never fail a
 * transformation (the one field it reads, the output stream's buffer, is {@code java.io.ByteArrayOutputStream}'s
 * documented protected field).
 */
final class SunJsseHooks {

    static final String PACKAGE = "sun.security.ssl.";

    private SunJsseHooks() {}

    static List<TypeHook> all() {
        return List.of(new TransportContext(), new HandshakeContext(), new HandshakeMessage(), new OutStream(),
                new CertificateConsumers(), new EngineImpl());
    }

    /** A hook on SunJSSE types by their names. */
    private abstract static class Named implements TypeHook {
        private final Set<String> names;
        private final Set<String> internalNames;

        Named(String... simpleNames) {
            Set<String> names = new HashSet<>();
            Set<String> internalNames = new HashSet<>();
            for (String n : simpleNames) {
                names.add(PACKAGE + n);
                internalNames.add((PACKAGE + n).replace('.', '/'));
            }
            this.names = Set.copyOf(names);
            this.internalNames = Set.copyOf(internalNames);
        }

        @Override
        public boolean matches(String internalName, ClassLoader loader, Class<?> redefined) {
            return loader == null && internalNames.contains(internalName);
        }

        @Override
        public Set<String> jdkClasses() {
            return names;
        }
    }

    /** {@code TransportContext}: where a handshake finishes, and where a connection fails. */
    static final class TransportContext extends Named {
        TransportContext() {
            super("TransportContext");
        }

        @Override
        public AsmVisitorWrapper advice() {
            return new AsmVisitorWrapper.Compound(
                    AdviceClasses.of(Finish.class).on(named("finishHandshake").and(takesArguments(0))),
                    AdviceClasses.of(Fatal.class).on(named("fatal").and(takesArguments(4))
                            .and(takesArgument(2, boolean.class)).and(takesArgument(3, Throwable.class))));
        }

        /** {@code finishHandshake()}: entered once per successful handshake. */
        static final class Finish {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.This Object transportContext) {
                SunJsseEvents events = SunJsseEvents.current;
                if (events != null) {
                    events.handshakeFinished(transportContext, System.nanoTime());
                }
            }
        }

        /** {@code fatal(Alert, String, boolean, Throwable)}: always throws, so the entry is hooked. */
        static final class Fatal {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.This Object transportContext, @Advice.Argument(0) Object alert,
                    @Advice.Argument(1) String diagnostic, @Advice.Argument(2) boolean alertReceived,
                    @Advice.Argument(3) Throwable cause) {
                SunJsseEvents events = SunJsseEvents.current;
                if (events != null) {
                    events.fatal(transportContext, alert, diagnostic, alertReceived, cause, System.nanoTime());
                }
            }
        }
    }

    /** {@code HandshakeContext.dispatch(byte, Plaintext)}: a handshake message arrived. */
    static final class HandshakeContext extends Named {
        HandshakeContext() {
            super("HandshakeContext");
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(Dispatch.class).on(named("dispatch").and(takesArguments(2))
                    .and(takesArgument(0, byte.class)).and(takesArgument(1, named(PACKAGE + "Plaintext"))));
        }

        static final class Dispatch {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.This Object handshakeContext, @Advice.Argument(0) byte type,
                    @Advice.Argument(1) Object plaintext) {
                SunJsseEvents events = SunJsseEvents.current;
                if (events != null) {
                    events.inboundMessage(handshakeContext, type, plaintext, System.nanoTime());
                }
            }
        }
    }

    /** {@code SSLHandshake.HandshakeMessage.write(HandshakeOutStream)}: a handshake message is sent. */
    static final class HandshakeMessage extends Named {
        HandshakeMessage() {
            super("SSLHandshake$HandshakeMessage");
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(Write.class).on(named("write").and(takesArguments(1))
                    .and(takesArgument(0, named(PACKAGE + "HandshakeOutStream"))));
        }

        static final class Write {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.This Object message, @Advice.Argument(0) Object handshakeOutStream) {
                SunJsseEvents events = SunJsseEvents.current;
                if (events != null) {
                    events.outboundMessage(message, handshakeOutStream, System.nanoTime());
                }
            }
        }
    }

    /**
     * {@code HandshakeOutStream.complete()}: the message just written is in the stream's buffer (header and body),
     * about to go to the record layer. The buffer and its length are protected fields of the stream's superclass
     * {@code ByteArrayOutputStream}, which the advice, inlined into the stream's own method, reads directly.
     */
    static final class OutStream extends Named {
        OutStream() {
            super("HandshakeOutStream");
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(Complete.class).on(named("complete").and(takesArguments(0)));
        }

        static final class Complete {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.This Object stream, @Advice.FieldValue("buf") byte[] buffer,
                    @Advice.FieldValue("count") int length) {
                SunJsseEvents events = SunJsseEvents.current;
                if (events != null) {
                    events.outboundMessageComplete(stream, buffer, length);
                }
            }
        }
    }

    /** {@code CertificateMessage.T12/T13CertificateConsumer.checkServerCerts/checkClientCerts}: the trust check. */
    static final class CertificateConsumers extends Named {
        CertificateConsumers() {
            super("CertificateMessage$T12CertificateConsumer", "CertificateMessage$T13CertificateConsumer");
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(TrustCheck.class).on(namedOneOf("checkServerCerts", "checkClientCerts")
                    .and(isStatic()).and(takesArgument(0, nameStartsWith(PACKAGE))));
        }

        static final class TrustCheck {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.Argument(0) Object handshakeContext) {
                SunJsseEvents events = SunJsseEvents.current;
                if (events != null) {
                    events.trustCheckStarted(handshakeContext, System.nanoTime());
                }
            }

            @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
            static void exit(@Advice.Argument(0) Object handshakeContext, @Advice.Thrown Throwable thrown) {
                SunJsseEvents events = SunJsseEvents.current;
                if (events != null) {
                    events.trustCheckEnded(handshakeContext, thrown, System.nanoTime());
                }
            }
        }
    }

    /** {@code SSLEngineImpl.closeInbound()}: the application saw its transport end. */
    static final class EngineImpl extends Named {
        EngineImpl() {
            super("SSLEngineImpl");
        }

        @Override
        public AsmVisitorWrapper advice() {
            return AdviceClasses.of(CloseInbound.class).on(named("closeInbound").and(takesArguments(0)));
        }

        static final class CloseInbound {
            @Advice.OnMethodEnter(suppress = Throwable.class)
            static void enter(@Advice.This Object engine) {
                SunJsseEvents events = SunJsseEvents.current;
                if (events != null) {
                    events.engineInboundClosed(engine, System.nanoTime());
                }
            }
        }
    }
}
