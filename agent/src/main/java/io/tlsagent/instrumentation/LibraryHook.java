package io.tlsagent.instrumentation;

import java.util.List;
import java.util.Set;
import net.bytebuddy.description.type.TypeDescription;

/**
 * A hook on a library's class where it pairs a TLS engine with its connection ({@code bootstrap.ConnectionEvents}):
 * matched by exact class names, so a library that is absent, or a version without the class, is simply not hooked
 * and its handshakes are recorded as before. The advice runs once per connection, never on the data path.
 */
abstract class LibraryHook implements TypeHook {

    private final Set<String> names;

    LibraryHook(String... classNames) {
        this.names = Set.of(classNames);
    }

    /** One hook per library that pairs engines with connections. */
    static List<TypeHook> all() {
        return List.of(new NettyHooks(), new TomcatHooks(), new JdkHttpServerHooks(), new JettyHooks(),
                new UndertowHooks(), new HttpCore5Hooks(), new JdkHttpClientHooks());
    }

    @Override
    public boolean matches(TypeDescription type, Class<?> loaded) {
        return names.contains(type.getName());
    }
}
