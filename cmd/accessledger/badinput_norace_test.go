//go:build !race

package main

// badInputRace tells TestBadInput that the race detector is off: it sends every request.
const badInputRace = false
