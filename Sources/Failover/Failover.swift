// Failover: the pure decision core (detector, selector, runbooks, run machine,
// journal replay). Takes the time as an argument, returns actions, never sleeps.
