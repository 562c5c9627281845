#!/usr/bin/env bash
# Builds kube-apiserver v1.20.2 from Debian's `kubernetes` source package with Debian's Go, offline, and caches
# the binary outside the checkout. No kube-apiserver is packaged for Debian 12 and nothing on npm ships one;
# tests of the Kubernetes secret target and the ingress-shim need a real API server
# (../shared/recipes/kube-apiserver.md is the tested recipe this follows).
# Prints the cached binary's path on its last line.
set -euo pipefail
version=1.20.2
package_version="1.20.5+really1.20.2"
cache_dir="${CERTPLANE_CACHE_DIR:-$HOME/.cache/certplane}"
binary="$cache_dir/kube-apiserver-$version"
if [ -x "$binary" ] && "$binary" --version >/dev/null 2>&1; then
  echo "$binary"
  exit 0
fi
mkdir -p "$cache_dir"
sudo_if_needed() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v go >/dev/null 2>&1 || need+=(golang-go)
command -v rsync >/dev/null 2>&1 || need+=(rsync)
command -v etcd >/dev/null 2>&1 || need+=(etcd-server)
[ -d /usr/share/gocode/src/github.com/modern-go/reflect2 ] || need+=(golang-github-modern-go-reflect2-dev)
if [ "${#need[@]}" -gt 0 ]; then
  echo "kube-apiserver build: installing ${need[*]}" >&2
  sudo_if_needed apt-get install -y -qq --no-install-recommends "${need[@]}" >&2 \
    || { sudo_if_needed apt-get update -qq >&2 && sudo_if_needed apt-get install -y -qq --no-install-recommends "${need[@]}" >&2; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A private deb-src list, so the machine's /etc/apt stays as it is.
mkdir -p "$work/apt/lists/partial"
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
printf 'Types: deb-src\nURIs: %s\nSuites: bookworm\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
  "$mirror" > "$work/apt/src.sources"
apt_opts=(-o "Dir::State::Lists=$work/apt/lists" -o Dir::Etc::SourceList=/dev/null -o "Dir::Etc::SourceParts=$work/apt")
echo "kube-apiserver build: downloading Debian's kubernetes $package_version source (34 MB)" >&2
(cd "$work" && apt-get "${apt_opts[@]}" update -qq >&2 && apt-get "${apt_opts[@]}" source --download-only kubernetes >&2)
tar xzf "$work/kubernetes_${package_version}.orig.tar.gz" -C "$work"
src="$work/kubernetes-$version"
# The vendored reflect2 1.0.1 crashes under Go >= 1.18 on the first map-encoding request; Debian's 1.0.2 fixes it.
rm -rf "$src/vendor/github.com/modern-go/reflect2"
cp -r /usr/share/gocode/src/github.com/modern-go/reflect2 "$src/vendor/github.com/modern-go/reflect2"
echo "kube-apiserver build: compiling (about 6 minutes on 2 cores with a cold Go cache)" >&2
(cd "$src" && GOPROXY=off CGO_ENABLED=0 make WHAT=cmd/kube-apiserver >&2)
cp "$src/_output/bin/kube-apiserver" "$binary.tmp"
mv "$binary.tmp" "$binary"
"$binary" --version >&2
echo "$binary"
