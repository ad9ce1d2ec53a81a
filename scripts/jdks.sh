#!/usr/bin/env bash
# The JDKs the integration tests run on: 11, 17 and 25.
#
#   scripts/jdks.sh            prints one line per JDK: "11 /path/to/bin/java", "17 ...", "25 ..."
#   scripts/jdks.sh java 11    prints only the java command of JDK 11 (or 17, or 25)
#
# JDK 17 (the machine's default) and Temurin 25 must already be installed under /usr/lib/jvm.
# JDK 11 is taken from Debian's bullseye suites as .deb files and unpacked into a cache, without installing
# anything system-wide and without touching the system's apt state: apt runs with a configuration, a sources
# list, package lists and archives of its own. The mirrors are the ones this machine's apt sources already use.
# The first run downloads and unpacks (about 110 MB of .debs); later runs only print the paths.
#
# Environment:
#   TLSAGENT_JDK_CACHE                   where JDK 11 goes (default ~/.cache/tls-agent/jdks)
#   TLSAGENT_JDK17_HOME, TLSAGENT_JDK25_HOME
#                                        other homes for JDK 17 and 25 (default: the Debian and Temurin ones)
#   TLSAGENT_DEBIAN_MIRROR, TLSAGENT_DEBIAN_SECURITY_MIRROR
#                                        other archive URIs for bullseye and bullseye-security (default: read from
#                                        /etc/apt/sources.list and /etc/apt/sources.list.d)
#
# Everything but the paths goes to stderr, so "$(scripts/jdks.sh java 11)" is just the path. Any failure exits
# non-zero with a line that says what is missing.
set -euo pipefail

me=jdks.sh
die() { echo "$me: error: $*" >&2; exit 1; }
say() { echo "$me: $*" >&2; }

usage() {
  sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

arch=$(dpkg --print-architecture 2>/dev/null || true)
if [ -z "$arch" ]; then
  case "$(uname -m)" in
    x86_64) arch=amd64 ;;
    aarch64) arch=arm64 ;;
    *) arch=$(uname -m) ;;
  esac
fi

jdk17_home=${TLSAGENT_JDK17_HOME:-/usr/lib/jvm/java-17-openjdk-$arch}
jdk25_home=${TLSAGENT_JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-$arch}
cache=${TLSAGENT_JDK_CACHE:-$HOME/.cache/tls-agent/jdks}
jdk11_root=$cache/jdk-11                                   # what dpkg -x unpacked: etc/ and usr/
jdk11_home=$jdk11_root/usr/lib/jvm/java-11-openjdk-$arch
jdk11_done=$jdk11_root/.tls-agent-complete                 # written last, before the folder is moved in place
jdk11_packages=(openjdk-11-jre-headless openjdk-11-jdk-headless)
jdk11_suite=bullseye

# --- JDKs that must be installed ----------------------------------------------------------------------------

# Prints the java of an installed JDK, or fails saying where it was looked for.
installed_java() { # version home name
  local version=$1 home=$2 name=$3
  [ -d "$home" ] || die "$name is not installed: $home does not exist (install it there, or set TLSAGENT_JDK${version}_HOME to its home)"
  [ -x "$home/bin/java" ] || die "JDK $version at $home has no executable bin/java"
  if [ -r "$home/release" ] && ! grep -Eq "^JAVA_VERSION=\"$version([.\"])" "$home/release"; then
    die "$home is not JDK $version: its release file says $(grep '^JAVA_VERSION=' "$home/release" || echo 'no JAVA_VERSION')"
  fi
  echo "$home/bin/java"
}

# --- The machine's apt sources ------------------------------------------------------------------------------

# Prints "uri suite signed-by" for every enabled "deb" source of this machine, one-line and deb822 formats.
# signed-by is "-" when absent, or when it is an inline key (apt then uses its trusted keys).
apt_sources() {
  local files=() f
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list; do [ -f "$f" ] && files+=("$f"); done
  if [ ${#files[@]} -gt 0 ]; then
    # deb [ option=value ... ] uri suite component...
    sed -e 's/#.*//' "${files[@]}" | awk '
      $1 != "deb" { next }
      {
        line = $0; sub(/^[ \t]*deb[ \t]+/, "", line); signed = "-"
        if (substr(line, 1, 1) == "[") {
          opts = substr(line, 2, index(line, "]") - 2); line = substr(line, index(line, "]") + 1)
          n = split(opts, o, /[ \t]+/)
          for (i = 1; i <= n; i++) if (o[i] ~ /^signed-by=/) { signed = substr(o[i], 11) }
        }
        split(line, w, /[ \t]+/); k = 0
        for (i = 1; i in w; i++) if (w[i] != "") { k++; v[k] = w[i] }
        if (k >= 2) print v[1], v[2], signed
      }'
  fi
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk '
      function flush(   i, j, nu, ns, u, s, isdeb, nt, t) {
        if (enabled != "no" && types != "") {
          nt = split(types, t, /[ \t]+/); isdeb = 0
          for (i = 1; i <= nt; i++) if (t[i] == "deb") isdeb = 1
          if (isdeb) {
            nu = split(uris, u, /[ \t]+/); ns = split(suites, s, /[ \t]+/)
            for (i = 1; i <= nu; i++) for (j = 1; j <= ns; j++) if (u[i] != "" && s[j] != "") print u[i], s[j], signed
          }
        }
        types = ""; uris = ""; suites = ""; signed = "-"; enabled = ""; field = ""
      }
      BEGIN { signed = "-" }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]/ { next }                      # continuation line: only inline keys have them here
      {
        field = tolower(substr($0, 1, index($0, ":") - 1)); value = substr($0, index($0, ":") + 1)
        gsub(/^[ \t]+|[ \t]+$/, "", value)
        if (field == "types") types = value
        else if (field == "uris") uris = value
        else if (field == "suites") suites = value
        else if (field == "enabled") enabled = tolower(value)
        else if (field == "signed-by") signed = (value == "" || value ~ /BEGIN PGP/ || value ~ /[ \t]/) ? "-" : value
      }
      END { flush() }' "$f"
  done
}

# Sets main_uri/main_key and security_uri/security_key from the machine's Debian sources (or the overrides).
find_mirrors() {
  local codename="" uri suite key
  codename=$( . /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}") || codename=""
  main_uri=""; main_key="-"; security_uri=""; security_key="-"
  while read -r uri suite key; do
    [ -n "$uri" ] || continue
    case "$uri" in cdrom:*|file:*|copy:*) continue ;; esac
    suite=${suite%/}
    if [ -n "$codename" ]; then
      case "$suite" in
        "$codename"|"$codename"-updates)
          [ -n "$main_uri" ] || { main_uri=$uri; main_key=$key; } ;;
        "$codename"-security|"$codename"/updates)
          [ -n "$security_uri" ] || { security_uri=$uri; security_key=$key; } ;;
      esac
    else
      case "$suite" in
        *-security|*/updates) [ -n "$security_uri" ] || { security_uri=$uri; security_key=$key; } ;;
        *-*|*/*) ;;
        *) [ -n "$main_uri" ] || { main_uri=$uri; main_key=$key; } ;;
      esac
    fi
  done < <(apt_sources)
  if [ -z "$main_uri" ] && [ -z "$security_uri" ]; then
    # Nothing configured for this release: Debian's standard archives.
    main_uri=http://deb.debian.org/debian
    security_uri=http://deb.debian.org/debian-security
    say "no Debian archive found in /etc/apt/sources.list or /etc/apt/sources.list.d; using Debian's standard ones"
  fi
  if [ -n "${TLSAGENT_DEBIAN_MIRROR:-}" ]; then main_uri=$TLSAGENT_DEBIAN_MIRROR; main_key="-"; fi
  if [ -n "${TLSAGENT_DEBIAN_SECURITY_MIRROR:-}" ]; then security_uri=$TLSAGENT_DEBIAN_SECURITY_MIRROR; security_key="-"; fi
  # A keyring path that does not exist here is left to apt's trusted keys.
  case "$main_key" in /*) [ -e "$main_key" ] || main_key="-" ;; esac
  case "$security_key" in /*) [ -e "$security_key" ] || security_key="-" ;; esac
  return 0
}

# --- JDK 11 from Debian bullseye, into the cache -------------------------------------------------------------

# Downloads .debs with an apt of its own: configuration, package lists, archives and (empty) status under $1, the
# sources in $1/etc/sources.list; the .debs go to $2. The system's apt state is neither read nor changed.
private_apt_download() { # apt folder, destination, packages...
  local apt=$1 dest=$2; shift 2
  command -v apt-get >/dev/null 2>&1 || die "apt-get is needed to download $*"
  mkdir -p "$apt/etc/apt.conf.d" "$apt/lists/partial" "$apt/archives/partial" "$apt/cache" "$apt/log" "$dest"
  : >"$apt/status"                   # no installed packages: nothing of the system's dpkg state is consulted
  # The machine's network settings (proxies, Check-Valid-Until, index formats) but none of its hooks: the
  # system's apt.conf.d also holds APT::Update::Post-Invoke commands that act on the system's caches.
  {
    echo "Dir::Etc::Main \"/dev/null\";"
    echo "Dir::Etc::Parts \"$apt/etc/apt.conf.d\";"
    apt-config dump 2>/dev/null | grep '^Acquire::' || true
  } >"$apt/etc/apt.conf"
  local aptopts=(
    -o "Dir::Etc::SourceList=$apt/etc/sources.list" -o "Dir::Etc::SourceParts=/dev/null"
    -o "Dir::Etc::Preferences=/dev/null" -o "Dir::Etc::PreferencesParts=/dev/null"
    -o "Dir::State=$apt" -o "Dir::State::Lists=$apt/lists" -o "Dir::State::status=$apt/status"
    -o "Dir::State::extended_states=$apt/extended_states"
    -o "Dir::Cache=$apt/cache" -o "Dir::Cache::Archives=$apt/archives" -o "Dir::Log=$apt/log"
    -o "APT::Sandbox::User=$(id -un)"
  )
  APT_CONFIG=$apt/etc/apt.conf apt-get -q "${aptopts[@]}" update >&2 \
    || die "apt-get update failed for the sources above (see its messages)"
  rm -f "$dest"/*.deb
  (cd "$dest" && APT_CONFIG=$apt/etc/apt.conf apt-get -q "${aptopts[@]}" download "$@") >&2 \
    || die "apt-get download $* failed from the sources above (see its messages)"
}

# Downloads the JDK 11 .debs into $cache/debs-11 (kept: a later unpack needs no network).
download_jdk11() {
  local debs=$cache/debs-11 apt=$cache/apt-11
  if have_debs "$debs"; then
    say "using the cached .debs in $debs"
    return
  fi
  find_mirrors
  rm -rf "$apt"
  mkdir -p "$apt/etc"

  local list=$apt/etc/sources.list
  : >"$list"
  local opt
  if [ -n "$main_uri" ]; then
    opt=""; [ "$main_key" = "-" ] || opt="[signed-by=$main_key] "
    echo "deb $opt$main_uri $jdk11_suite main" >>"$list"
  fi
  if [ -n "$security_uri" ]; then
    opt=""; [ "$security_key" = "-" ] || opt="[signed-by=$security_key] "
    echo "deb $opt$security_uri $jdk11_suite-security main" >>"$list"
  fi
  say "fetching JDK 11 (${jdk11_packages[*]}) from:"
  sed 's/^/    /' "$list" >&2
  private_apt_download "$apt" "$debs/partial" "${jdk11_packages[@]}"
  have_debs "$debs/partial" || die "apt-get download did not leave one .deb of each of ${jdk11_packages[*]} of one version in $debs/partial"
  rm -f "$debs"/*.deb
  mv "$debs"/partial/*.deb "$debs"/
  rmdir "$debs/partial"
  rm -rf "$apt"                       # the package lists (about 10 MB) are not needed again
}

# True if $1 holds exactly one .deb of each JDK 11 package, all of the same version.
have_debs() {
  local dir=$1 p f n version="" v
  for p in "${jdk11_packages[@]}"; do
    n=0
    for f in "$dir/${p}_"*"_$arch.deb"; do [ -f "$f" ] && n=$((n + 1)); done
    [ "$n" -eq 1 ] || return 1
    v=$(dpkg-deb -f "$dir/${p}_"*"_$arch.deb" Version 2>/dev/null) || return 1
    [ -z "$version" ] || [ "$v" = "$version" ] || return 1
    version=$v
  done
}

# The JDK's lib/security/cacerts must be a readable trust store. Debian's is a link to the one that
# ca-certificates-java keeps in /etc/ssl/certs/java; where that is missing, a copy of another JDK's is used.
repair_cacerts() { # jdk home
  local cacerts=$1/lib/security/cacerts c
  [ -e "$cacerts" ] && return 0
  for c in /etc/ssl/certs/java/cacerts "$jdk17_home/lib/security/cacerts" "$jdk25_home/lib/security/cacerts"; do
    if [ -e "$c" ]; then
      rm -f "$cacerts"
      cp -L "$c" "$cacerts"
      say "JDK 11: $(readlink -f "$c" || echo "$c") copied to lib/security/cacerts (its link pointed nowhere)"
      return 0
    fi
  done
  die "JDK 11 has no CA certificates: $cacerts is missing and neither /etc/ssl/certs/java/cacerts (Debian's ca-certificates-java) nor JDK 17's or 25's cacerts exists"
}

# Debian's JDK links its configuration to /etc/java-11-openjdk/... and its CA store to /etc/ssl/certs/java.
# Links into what the .debs unpacked are made relative (so the tree can move); links to files this machine has
# stay; links to nothing are reported and removed (blacklisted.certs, renamed blocked.certs in 11.0.x).
fix_links() { # root
  local root=$1 link target
  while IFS= read -r -d '' link; do
    target=$(readlink "$link")
    case "$target" in /*) ;; *) continue ;; esac
    if [ -e "$root$target" ]; then
      ln -sfn "$(realpath -s -m --relative-to="$(dirname "$link")" "$root$target")" "$link"
    elif [ -e "$target" ]; then
      :
    elif [ "${link##*/}" != cacerts ]; then
      say "JDK 11: removing ${link#"$root"/} -> $target (nothing there in the package or on this machine)"
      rm -f "$link"
    fi
  done < <(find "$root" -type l -print0)
}

# Java 11 runs a TLS 1.3 and a TLS 1.2 handshake over loopback and loads its default trust store.
tls_check() { # jdk home, scratch folder
  local home=$1 dir=$2
  "$home/bin/keytool" -genkeypair -alias check -keyalg EC -keysize 256 -dname CN=localhost -validity 2 \
    -storetype PKCS12 -keystore "$dir/check.p12" -storepass changeit -keypass changeit >/dev/null 2>"$dir/keytool.err" \
    || { cat "$dir/keytool.err" >&2; return 1; }
  cat >"$dir/TlsCheck.java" <<'EOF'
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.KeyStore;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

public class TlsCheck {
    public static void main(String[] args) throws Exception {
        TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        defaults.init((KeyStore) null);
        int cas = ((X509TrustManager) defaults.getTrustManagers()[0]).getAcceptedIssuers().length;
        if (cas == 0) {
            throw new IllegalStateException("the default trust store (lib/security/cacerts) holds no certificate");
        }
        char[] password = "changeit".toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(args[0])) {
            ks.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, password);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        InetAddress loopback = InetAddress.getLoopbackAddress();
        StringBuilder out = new StringBuilder();
        for (String protocol : new String[] {"TLSv1.3", "TLSv1.2"}) {
            try (SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, loopback)) {
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread t = new Thread(() -> {
                    try (SSLSocket s = (SSLSocket) server.accept()) {
                        s.startHandshake();
                        s.getOutputStream().write(42);
                        s.getOutputStream().flush();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                });
                t.start();
                try (SSLSocket c = (SSLSocket) ctx.getSocketFactory().createSocket(loopback, server.getLocalPort())) {
                    c.setEnabledProtocols(new String[] {protocol});
                    c.startHandshake();
                    if (c.getInputStream().read() != 42) {
                        throw new IllegalStateException(protocol + ": no data after the handshake");
                    }
                    out.append(c.getSession().getProtocol()).append(' ').append(c.getSession().getCipherSuite()).append(", ");
                }
                t.join(30_000);
                if (failure.get() != null) {
                    throw new IllegalStateException(protocol + " server side failed", failure.get());
                }
            }
        }
        System.out.println(out.toString() + cas + " CA certificates in the default trust store");
    }
}
EOF
  "$home/bin/java" "$dir/TlsCheck.java" "$dir/check.p12"
}

# Unpacks the .debs into a scratch folder beside the cache's jdk-11, checks it, and moves it in place.
install_jdk11() {
  download_jdk11
  local tmp
  tmp=$(mktemp -d "$cache/.jdk-11.XXXXXX")
  # shellcheck disable=SC2064
  trap "rm -rf '$tmp'" EXIT
  local root=$tmp/root home deb
  home=$root/usr/lib/jvm/java-11-openjdk-$arch
  mkdir -p "$root"
  for deb in "$cache"/debs-11/*.deb; do
    dpkg -x "$deb" "$root" || die "dpkg -x $deb failed"
  done
  [ -x "$home/bin/java" ] || die "the .debs in $cache/debs-11 did not unpack to $home/bin/java"
  fix_links "$root"
  repair_cacerts "$home"

  local version
  version=$("$home/bin/java" -version 2>&1) || die "JDK 11 does not start: $home/bin/java -version said: $version"
  case "$version" in *'version "11.'*) ;; *) die "$home/bin/java -version is not 11: $version" ;; esac
  # Class data sharing, as Debian's postinst sets it up: the tests start many short JVMs.
  if ! "$home/bin/java" -Xshare:dump >"$tmp/cds.log" 2>&1; then
    say "JDK 11: -Xshare:dump failed (JVMs start without class data sharing):"; tail -3 "$tmp/cds.log" >&2
  fi
  local tls
  mkdir -p "$tmp/check"
  tls=$(tls_check "$home" "$tmp/check") || die "JDK 11 at $home cannot do TLS (see above)"
  say "JDK 11: $(echo "$version" | sed -n 2p); $tls"

  date -u +%FT%TZ >"$root/.tls-agent-complete"
  rm -rf "$jdk11_root"
  mv "$root" "$jdk11_root"
  rm -rf "$tmp"
  trap - EXIT
}

jdk11_java() {
  if [ ! -f "$jdk11_done" ] || [ ! -x "$jdk11_home/bin/java" ] || [ ! -e "$jdk11_home/lib/security/cacerts" ]; then
    command -v dpkg >/dev/null 2>&1 || die "dpkg is needed to unpack JDK 11 (Debian's ${jdk11_packages[*]})"
    mkdir -p "$cache" || die "cannot create the cache folder $cache (set TLSAGENT_JDK_CACHE)"
    exec 9>"$cache/.lock"
    if command -v flock >/dev/null 2>&1; then
      flock 9 || die "cannot lock $cache/.lock"
    fi
    # Another run may have finished while this one waited.
    if [ -f "$jdk11_done" ] && [ -x "$jdk11_home/bin/java" ]; then
      repair_cacerts "$jdk11_home"
    else
      say "JDK 11 is not in $cache yet: fetching it (once)"
      install_jdk11
    fi
    exec 9>&-
  fi
  echo "$jdk11_home/bin/java"
}

java_of() {
  case "$1" in
    11) jdk11_java ;;
    17) installed_java 17 "$jdk17_home" "JDK 17 (the machine's default)" ;;
    25) installed_java 25 "$jdk25_home" "Temurin JDK 25" ;;
    *) die "no JDK $1 here: the tests run on 11, 17 and 25" ;;
  esac
}

# Sourced by another script (scripts/victoria-metrics.sh) for its functions: stop here.
if [ "${BASH_SOURCE[0]}" != "$0" ]; then
  return 0
fi

case "${1:-}" in
  "")
    [ $# -le 1 ] || usage
    j17=$(java_of 17)
    j25=$(java_of 25)
    j11=$(java_of 11)
    printf '11 %s\n17 %s\n25 %s\n' "$j11" "$j17" "$j25"
    ;;
  java)
    [ $# -eq 2 ] || usage
    java_of "$2"
    ;;
  -h|--help|help) usage 0 ;;
  *) usage ;;
esac
