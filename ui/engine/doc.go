// Package engine does the flowsphere app's model work: it owns the backend and every model
// object, and runs all model and GPU calls on one goroutine of its own. In the browser a
// buffer readback (MapAsync) blocks its goroutine on a promise, so the UI must never make
// such calls: the app (package ui) and the page's automation only queue commands here,
// which never blocks, and read the latest published Frame or StateSnapshot.
//
// The commands generate grids, walk the sphere, show neighbours, load weights, take
// fine-tune images, fine-tune (train.Trainer on the images, previews from the EMA), save
// weights through the Host and keep the fine-tune state in the Host's Store. A failing
// command reports its error in the state; what was there before stays. When the GPU device
// is lost, the engine rebuilds its model objects on a new one from a host copy and runs the
// interrupted work again (recover.go).
//
// host.go is the contract with the platform (Options, Host, Store, File), which package ui
// re-exports. The package imports nothing of Ebiten, so it is tested headless on the CPU
// backend. It imports model/gen, model/train, model/prior, model/data, model/config,
// model/tensor, model/cpu (the backend a twice-lost GPU device falls back to) and weights.
package engine
