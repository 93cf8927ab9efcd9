package kurrentdbtest

import (
	"fmt"
	"os"
	"testing"
	"time"
)

func TestManualServe(t *testing.T) {
	if os.Getenv("MANUAL") == "" {
		t.Skip()
	}
	s := Start(t)
	os.WriteFile("/tmp/model_url", []byte(s.URL()), 0o644)
	fmt.Println(s.URL())
	time.Sleep(10 * time.Minute)
}
