#!/usr/bin/env bash
# flowsphere's one entry point for people and CI:
#   ./build.sh test    install what a fresh Debian 12 machine lacks, then gofmt, vet, tests
#   ./build.sh serve   build the site and serve it on http://localhost:8080
#   ./build.sh site    build site/app.wasm
#   ./build.sh bench   kernel benchmarks (JSON to bench.json)
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages the tests need: lavapipe gives wgpu-native a real Vulkan device on the CPU.
TEST_PACKAGES=(mesa-vulkan-drivers libvulkan1)

# The Go packages that the browser build uses; each must compile for GOOS=js GOARCH=wasm.
WASM_PACKAGES=(./model/... ./shaders/... ./weights/...)

missing_packages() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
	done
}

install_packages() {
	local missing
	missing=$(missing_packages "$@")
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "build.sh: missing Debian packages; install them with:" >&2
		echo "  sudo apt-get install -y $(echo $missing)" >&2
		exit 1
	fi
	echo "build.sh: installing $(echo $missing)"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

check_go() {
	command -v go >/dev/null || { echo "build.sh: Go 1.26 is required (https://go.dev/dl/)" >&2; exit 1; }
}

cmd_test() {
	check_go
	install_packages "${TEST_PACKAGES[@]}"
	echo "== gofmt"
	local unformatted
	unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
	if [ -n "$unformatted" ]; then
		echo "gofmt would change:" >&2
		echo "$unformatted" >&2
		exit 1
	fi
	echo "== go vet (native)"
	go vet ./...
	echo "== go vet (js/wasm)"
	GOOS=js GOARCH=wasm go vet "${WASM_PACKAGES[@]}"
	echo "== go test"
	# wgpu-native prints warnings about a missing windowing system; they are harmless.
	export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
	go test -timeout 30m ./...
}

cmd_site() {
	echo "build.sh: the browser app is not built yet; the compute core runs natively for now."
}

cmd_serve() {
	check_go
	cmd_site
	echo "build.sh: kernel self-test on this machine (the same table the page will run):"
	export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
	go run ./tools/selftest
}

cmd_bench() {
	check_go
	export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
	go run ./tools/bench -json >bench.json
	echo "build.sh: wrote bench.json"
}

case "${1:-}" in
test) cmd_test ;;
site) cmd_site ;;
serve) cmd_serve ;;
bench) cmd_bench ;;
*)
	echo "usage: ./build.sh test|serve|site|bench" >&2
	exit 2
	;;
esac
