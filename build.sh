#!/usr/bin/env bash
# flowsphere's one entry point for people and CI:
#   ./build.sh test    install what a fresh Debian 12 machine lacks, then gofmt, vet, tests
#   ./build.sh serve   build the site and serve it on http://localhost:8080 (flags go to tools/serve)
#   ./build.sh site    build site/app.wasm (and its .br and .gz archives) and copy wasm_exec.js
#   ./build.sh bench   kernel benchmarks (JSON to bench.json)
set -euo pipefail
cd "$(dirname "$0")"

# On x86-64 the CPU backend's pure-Go kernels have AVX-512/AVX2 vector variants, built with
# Go's simd experiment (files tagged goexperiment.simd). Plain builds use the scalar code that
# WebAssembly runs; `./build.sh test` tests both and `./build.sh bench` measures the vector one.
SIMD_EXPERIMENT=
if command -v go >/dev/null && [ "$(go env GOHOSTARCH)" = amd64 ]; then
	SIMD_EXPERIMENT=simd
fi

# Debian packages the tests need: lavapipe gives wgpu-native a real Vulkan device on the CPU;
# libopenblas0-pthread provides libopenblas.so.0, which the CPU backend loads at run time for
# its matmuls (no headers or cgo needed; without it the backend uses its pure-Go kernel);
# chromium runs the browser tests (site/e2e: WebGPU and WebGL2 on its bundled SwiftShader);
# Ebiten's native build needs the X11 and GL headers, and xvfb runs the native UI headless;
# the PyTorch twin's tests (tools/torch) need torch, numpy and zstd (module and command).
TEST_PACKAGES=(mesa-vulkan-drivers libvulkan1 libopenblas0-pthread chromium
	libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev libgl1-mesa-dev libxxf86vm-dev xvfb
	python3-torch python3-numpy python3-zstandard zstd)

# The Debian package that compresses the app for browsers that accept Brotli (./build.sh site).
SITE_PACKAGES=(brotli)

# The Go packages that the browser build uses; each must compile for GOOS=js GOARCH=wasm.
WASM_PACKAGES=(./wasm/ ./model/... ./shaders/... ./weights/...)

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
	if [ -n "$SIMD_EXPERIMENT" ]; then
		GOEXPERIMENT=$SIMD_EXPERIMENT go vet ./model/cpu/... ./model/perf
	fi
	echo "== go vet (js/wasm)"
	GOOS=js GOARCH=wasm go vet "${WASM_PACKAGES[@]}"
	echo "== go test"
	# wgpu-native prints warnings about a missing windowing system; they are harmless.
	export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
	# OpenBLAS is installed now, so the tests of the CPU backend's BLAS path must run.
	export FLOWSPHERE_REQUIRE_BLAS=${FLOWSPHERE_REQUIRE_BLAS:-1}
	# Likewise Python with torch, so the PyTorch twin's parity tests must run.
	export FLOWSPHERE_REQUIRE_TORCH=${FLOWSPHERE_REQUIRE_TORCH:-1}
	go test -timeout 30m ./...
	if [ -n "$SIMD_EXPERIMENT" ]; then
		echo "== go test ./model/cpu/... ./model/perf (vector kernels, GOEXPERIMENT=$SIMD_EXPERIMENT)"
		GOEXPERIMENT=$SIMD_EXPERIMENT go test -timeout 30m ./model/cpu/... ./model/perf
	fi
}

# wasm_exec.js moved from misc/wasm to lib/wasm in Go 1.24.
wasm_exec_js() {
	local root
	root=$(go env GOROOT)
	if [ -f "$root/lib/wasm/wasm_exec.js" ]; then echo "$root/lib/wasm/wasm_exec.js"; else echo "$root/misc/wasm/wasm_exec.js"; fi
}

cmd_site() {
	check_go
	echo "== building site/app.wasm"
	GOOS=js GOARCH=wasm go build -trimpath -ldflags=-s -o site/app.wasm.new ./wasm
	cp "$(wasm_exec_js)" site/wasm_exec.js
	# The build is reproducible: an unchanged app keeps its archives (Brotli takes a minute).
	if cmp -s site/app.wasm.new site/app.wasm && [ site/app.wasm.gz -nt site/app.wasm ] &&
		{ [ site/app.wasm.br -nt site/app.wasm ] || ! have_brotli; }; then
		rm site/app.wasm.new
	else
		mv site/app.wasm.new site/app.wasm
		compress_app
	fi
	local raw gz br=0
	raw=$(wc -c <site/app.wasm)
	gz=$(wc -c <site/app.wasm.gz)
	[ -f site/app.wasm.br ] && br=$(wc -c <site/app.wasm.br)
	awk -v raw="$raw" -v gz="$gz" -v br="$br" 'BEGIN {
		printf "site/app.wasm: %.1f MB raw, %.2f MB gzip", raw / 1e6, gz / 1e6
		if (br > 0) printf ", %.2f MB Brotli", br / 1e6
		printf "\n"
	}'
}

# have_brotli says whether the brotli command exists, installing it first where this is
# Debian and we are root.
have_brotli() {
	if ! command -v brotli >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		install_packages "${SITE_PACKAGES[@]}"
	fi
	command -v brotli >/dev/null
}

# compress_app writes the archives tools/serve sends in place of site/app.wasm: Brotli for
# browsers that accept it (about a third smaller), gzip for the others.
compress_app() {
	gzip -9 -n -c site/app.wasm >site/app.wasm.gz
	rm -f site/app.wasm.br
	if have_brotli; then
		echo "== compressing site/app.wasm with Brotli"
		brotli -q 11 -w 24 -f -o site/app.wasm.br site/app.wasm
	else
		echo "build.sh: brotli is missing (apt-get install brotli): the app is served gzip-compressed only" >&2
	fi
}

cmd_serve() {
	cmd_site
	go run ./tools/serve "$@"
}

cmd_bench() {
	check_go
	export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)}
	GOEXPERIMENT=$SIMD_EXPERIMENT go run ./tools/bench -json >bench.json
	echo "build.sh: wrote bench.json"
}

case "${1:-}" in
test) cmd_test ;;
site) cmd_site ;;
serve)
	shift
	cmd_serve "$@"
	;;
bench) cmd_bench ;;
*)
	echo "usage: ./build.sh test|serve|site|bench" >&2
	exit 2
	;;
esac
