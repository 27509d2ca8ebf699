package campaign

// Test hooks for the external test package: how many Clients the finalizer
// closed, and how many inner states were closed (by Close or the finalizer).
func ClientsFinalized() int64 { return clientsFinalized.Load() }
func StatesClosed() int64     { return statesClosed.Load() }
