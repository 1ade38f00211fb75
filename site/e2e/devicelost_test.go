package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// lossSteps is how many steps TestDeviceLoss fine-tunes.
const lossSteps = 15

// TestDeviceLoss destroys the app's GPU device in the middle of fine-tuning, through the
// shim's handle on it: the app opens a new device, resumes from the step it had reached
// with all eight images, finishes the run there, says so in #status and generates again.
// Then every new device is destroyed at birth, as with a GPU that keeps getting lost: the
// second loss within a minute moves the app to the CPU, with a notice, and it generates and
// trains there.
func TestDeviceLoss(t *testing.T) {
	t.Parallel()
	tb := newTab(t, true)
	tb.beforeLoad(destroyNewDevices)
	tb.openWithImages()

	eval[any](tb, fmt.Sprintf("flowsphere.train(%d)", lossSteps))
	reached := tb.waitState("5 training steps", stepTimeout, func(s appState) bool { return s.Step >= 5 || s.State == "error" })
	eval[any](tb, "flowsphereGPU.device.destroy()")
	lost := time.Now()
	st := tb.waitState("a new device", stepTimeout, func(s appState) bool {
		return s.DeviceLosses > 0 && s.State != "loading" || s.State == "error"
	})
	t.Logf("destroyed at step %d; %.1f s later the app ran on a new device from step %d", reached.Step, time.Since(lost).Seconds(), st.ResumedStep)
	if st.Error != "" || st.ResumedStep < reached.Step || st.Images != trainImages || !strings.HasPrefix(st.Backend, "webgpu") {
		t.Fatalf("after the loss at step %d: resumed at step %d with %d images on %q, error %q", reached.Step, st.ResumedStep, st.Images, st.Backend, st.Error)
	}
	if line := tb.status(); !strings.Contains(line.Text, "recovered from a lost GPU device") {
		t.Errorf("#status says %q; want it to tell of the recovery", line.Text)
	}
	st = tb.waitState("the end of the run", stepTimeout, func(s appState) bool { return s.Step == lossSteps && s.idle() || s.State == "error" })
	if st.State != "ready" || st.Images != trainImages || !strings.HasPrefix(st.Backend, "webgpu") || st.Loss == nil {
		t.Fatalf("the run ended %q at step %d with %d images on %q, loss %v: %s", st.State, st.Step, st.Images, st.Backend, st.Loss, st.Error)
	}
	eval[any](tb, "flowsphere.generate(5, 2)")
	if st = tb.waitGrid(st.Grids, gridTimeout); st.State != "ready" || !strings.HasPrefix(st.Backend, "webgpu") {
		t.Fatalf("after the recovery a grid leaves the app %q on %q: %s", st.State, st.Backend, st.Error)
	}

	t.Run("again", func(t *testing.T) {
		tb := tb.in(t)
		eval[any](tb, "window.destroyNewDevices = true; flowsphereGPU.device.destroy(); flowsphere.generate(6, 2)")
		st := tb.waitGrid(st.Grids, gridTimeout)
		if st.State != "ready" || !strings.HasPrefix(st.Backend, "cpu") || !strings.Contains(st.Notice, "running on the CPU") {
			t.Fatalf("a device that keeps getting lost leaves the app %q on %q with notice %q: %s", st.State, st.Backend, st.Notice, st.Error)
		}
		if line := tb.status(); !strings.Contains(line.Text, "running on the CPU") {
			t.Errorf("#status says %q; want it to say that the app runs on the CPU", line.Text)
		}
		eval[any](tb, "flowsphere.train(2)")
		st = tb.waitState("two steps on the CPU", stepTimeout, func(s appState) bool { return s.Step == lossSteps+2 && s.idle() || s.State == "error" })
		if st.State != "ready" || st.Images != trainImages {
			t.Fatalf("training on the CPU ended %q at step %d with %d images: %s", st.State, st.Step, st.Images, st.Error)
		}
	})
}
