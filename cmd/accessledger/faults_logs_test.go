package main

// What the fault suite reads in the logs of its serve processes.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// logTail answers the end of the current serve's log, less the lines of requests that
// went well.
func (s *faultServe) logTail() string {
	s.mu.Lock()
	path := filepath.Join(s.logDir, fmt.Sprintf("serve-%d.log", s.gen))
	s.mu.Unlock()
	return faultLogTail(path, 30)
}

// logLines answers the lines of every serve log that mention id (a request id).
func (s *faultServe) logLines(id string) []string {
	paths, _ := filepath.Glob(filepath.Join(s.logDir, "serve-*.log"))
	var found []string
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for line := range strings.Lines(string(data)) {
			if strings.Contains(line, id) {
				found = append(found, strings.TrimSpace(line))
			}
		}
	}
	return found
}

// raceReport answers the first data race report in serve's logs, or "".
func (s *faultServe) raceReport() string {
	paths, _ := filepath.Glob(filepath.Join(s.logDir, "serve-*.log"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if _, report, found := strings.Cut(string(data), "WARNING: DATA RACE"); found {
			report, _, _ = strings.Cut(report, "\n==================")
			return report
		}
	}
	return ""
}

// faultLogTail answers the last n lines of serve's log at path, less the lines of
// requests that went well (level INFO msg="http request"): they would hide the rest.
func faultLogTail(path string, n int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Sprintf("(cannot read %s: %v)", path, err)
	}
	var lines []string
	for line := range strings.Lines(string(data)) {
		if !strings.Contains(line, `level=INFO msg="http request"`) {
			lines = append(lines, strings.TrimRight(line, "\n"))
		}
	}
	return strings.Join(lines[max(len(lines)-n, 0):], "\n")
}
