// Package weights owns flowsphere's weight file format: reading and writing
// the model's tensors and metadata, in memory and on disk.
//
// A weight file is a safetensors file compressed with zstd, named
// <name>.safetensors.zst (see [Ext]). The uncompressed layout is:
//
//	u64 little-endian N | N bytes of JSON header | data section
//
// The header maps each tensor name to its dtype ("F32", "F16" or "BF16"),
// shape and data_offsets [begin, end) relative to the start of the data
// section, plus an optional "__metadata__" object of string to string (the
// model config and training facts). Tensor values are little-endian.
// In memory every value is a float32: F16 and BF16 tensors are upcast on
// load, and a file is written with one dtype for all its tensors.
//
// Reading never trusts the file. [Decode] checks the header length, the
// JSON, every dtype, shape and offset, the layout of the data section and
// every value (NaN and Inf are refused) before it allocates any tensor, so
// a hostile or damaged file costs at most memory proportional to its size,
// bounded by [Limits], and fails with an error naming the problem. Nothing
// in this package panics on any input. [Read] bounds decompression the same
// way, so a zstd bomb is refused once it passes Limits.MaxBytes.
//
// It imports nothing of ours and uses no cgo; it builds for
// GOOS=js GOARCH=wasm, where the browser loads weights with [Read] from
// fetched bytes. Checking tensor names and shapes against a model config
// is the model's job, not this package's.
package weights
