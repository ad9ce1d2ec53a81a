package io.tlsagent.instrumentation;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A hook on a library's class where it pairs a TLS engine with its connection ({@code bootstrap.ConnectionEvents}):
 * matched by exact class names, so a library that is absent, or a version without the class, is simply not hooked
 * and its handshakes are recorded as before. The advice runs once per connection, never on the data path.
 */
abstract class LibraryHook implements TypeHook {

    private final Set<String> names;
    private final Set<String> internalNames;

    LibraryHook(String... classNames) {
        this.names = Set.of(classNames);
        this.internalNames = names.stream().map(n -> n.replace('.', '/')).collect(Collectors.toUnmodifiableSet());
    }

    /** One hook per library that pairs engines with connections. */
    static List<TypeHook> all() {
        return List.of(new NettyHooks(), new TomcatHooks(), new JdkHttpServerHooks(), new JettyHooks(),
                new UndertowHooks(), new HttpCore5Hooks(), new JdkHttpClientHooks());
    }

    @Override
    public boolean matches(String internalName, ClassLoader loader, Class<?> redefined) {
        return internalNames.contains(internalName);
    }

    /** None: the JDK's HTTP server and client are in the platform loader, and found with the libraries. */
    @Override
    public Set<String> jdkClasses() {
        return Set.of();
    }

    @Override
    public Set<String> libraryClasses() {
        return names;
    }
}
