// Package uitest runs the desktop app (ui/cmd/flowsphere) under a virtual X server and
// checks its screenshots. It is a package of its own because importing Ebiten needs a
// display at package init: the test builds the command and runs it as a child process with
// a DISPLAY, starting Xvfb when there is none. Set FLOWSPHERE_ARTIFACTS to a folder to keep
// the screenshots.
//
// It imports nothing of ours. Its tests import model/config, model/cpu, model/gen and weights.
package uitest
