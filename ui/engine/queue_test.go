package engine

import "testing"

// TestQueueKeepsTheLastView checks that only the last of several queued view requests
// runs, every other command runs in order, and the busy count covers them all.
func TestQueueKeepsTheLastView(t *testing.T) {
	q := newQueue()
	var ran []string
	cmd := func(name string, view bool) command {
		return command{view: view, run: func(*Engine) error { ran = append(ran, name); return nil }}
	}
	for _, c := range []command{cmd("view1", true), cmd("load", false), cmd("view2", true), cmd("train", false), cmd("view3", true)} {
		q.push(c)
	}
	if !q.busy() {
		t.Fatal("not busy with 5 commands queued")
	}
	for _, c := range q.take() {
		c.run(nil)
		q.done()
	}
	want := []string{"load", "train", "view3"}
	if len(ran) != len(want) {
		t.Fatalf("ran %v, want %v", ran, want)
	}
	for i := range want {
		if ran[i] != want[i] {
			t.Fatalf("ran %v, want %v", ran, want)
		}
	}
	if q.busy() {
		t.Fatal("busy after every command finished")
	}
}
