module flowsphere

go 1.26

require github.com/cogentcore/webgpu v0.23.0

require gonum.org/v1/gonum v0.17.0 // indirect
