// Package e2e holds flowsphere's browser end-to-end tests and nothing else. They build the
// app for GOOS=js into a temporary site, serve it with tools/serve's handler on a loopback
// port, and drive Debian's Chromium headless through chromedp, with WebGPU and WebGL2 on
// Chromium's bundled SwiftShader (see browser_test.go for the flags and why).
//
// The tests skip when /usr/bin/chromium is missing; FLOWSPHERE_REQUIRE_GPU=1 (CI) turns a
// missing browser or a browser without a WebGPU adapter into a failure. Screenshots go to
// $FLOWSPHERE_ARTIFACTS, or to flowsphere-artifacts in the system's temporary folder.
//
// It imports nothing of ours. Its tests import model/config, model/cpu, model/gen,
// model/opcheck, model/perf, tools/serve/static and weights.
package e2e
