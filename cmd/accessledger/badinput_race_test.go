//go:build race

package main

// badInputRace tells TestBadInput that the race detector is on: it sends a sample.
const badInputRace = true
