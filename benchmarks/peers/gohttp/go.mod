module campaign/benchmarks/gohttp

go 1.19
