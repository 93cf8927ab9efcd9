package main

// Where a phase of BenchmarkServe spends the machine's CPU: in this process (serve and
// the clients that load it) or in PostgreSQL. Timings alone do not say which side a
// change should cut.

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuTimes are the CPU times used so far by this process and by a PostgreSQL cluster.
type cpuTimes struct {
	self, postgres time.Duration
	ok             bool // false where /proc cannot tell (not Linux)
}

// readCPU answers the CPU time used so far by this process and by the cluster whose
// postmaster is pid: the postmaster, its live processes, and those it has reaped.
func readCPU(pid int) cpuTimes {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return cpuTimes{}
	}
	t := cpuTimes{self: time.Duration(ru.Utime.Nano() + ru.Stime.Nano())}
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return t
	}
	ticks, found := 0.0, false
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		fields, ok := procStat(p)
		if !ok {
			continue
		}
		switch {
		case p == pid: // its own time and that of the processes it has reaped
			ticks += statField(fields, 13) + statField(fields, 14) + statField(fields, 15) + statField(fields, 16)
			found = true
		case statField(fields, 3) == float64(pid):
			ticks += statField(fields, 13) + statField(fields, 14)
		}
	}
	t.postgres, t.ok = time.Duration(ticks/clockTicks*float64(time.Second)), found
	return t
}

// clockTicks is USER_HZ, the unit of /proc/<pid>/stat's times: 100 on Linux.
const clockTicks = 100

// procStat answers the fields of /proc/<pid>/stat after the command name, numbered as
// proc(5) numbers them less 1 (state is fields[2]).
func procStat(pid int) ([]string, bool) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return nil, false
	}
	s := string(data)
	end := strings.LastIndexByte(s, ')')
	if end < 0 {
		return nil, false
	}
	return append([]string{"pid", "comm"}, strings.Fields(s[end+1:])...), true
}

func statField(fields []string, i int) float64 {
	if i >= len(fields) {
		return 0
	}
	v, _ := strconv.ParseFloat(fields[i], 64)
	return v
}

// since answers the CPU times used between before and t.
func (t cpuTimes) since(before cpuTimes) cpuTimes {
	return cpuTimes{self: t.self - before.self, postgres: t.postgres - before.postgres, ok: t.ok && before.ok}
}
