package main

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// TestComposeFile loads docker-compose.yml with the Compose specification's loader (the
// one Docker Compose uses) and checks it against the README's table of services: each
// exists, has a health check, and gets the variables the README says it does; and
// accessledger starts once PostgreSQL is healthy.
func TestComposeFile(t *testing.T) {
	opts, err := cli.NewProjectOptions([]string{"../../docker-compose.yml"},
		cli.WithWorkingDirectory("../.."), cli.WithProfiles([]string{"*"}), cli.WithoutEnvironmentResolution)
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}
	documented := readmeServices(t)
	if len(documented) < 3 {
		t.Fatalf("the README names %d services, want its table of postgres, accessledger, kurrentdb", len(documented))
	}
	jobs := oneShotJobs(project)
	for name, env := range documented {
		svc, err := project.GetService(name)
		if err != nil {
			t.Errorf("the README names service %s, which docker-compose.yml lacks", name)
			continue
		}
		if !jobs[name] && (svc.HealthCheck == nil || len(svc.HealthCheck.Test) == 0 || svc.HealthCheck.Disable) {
			t.Errorf("service %s has no health check", name)
		}
		for _, v := range env {
			if _, ok := svc.Environment[v]; !ok {
				t.Errorf("service %s does not get %s, which the README documents", name, v)
			}
		}
	}
	for name := range project.Services {
		if _, ok := documented[name]; !ok {
			t.Errorf("service %s is not in the README's table", name)
		}
	}
	for name, deps := range map[string][]string{"accessledger": {"postgres"}, "accessledger-kurrentdb": {"postgres", "kurrentdb"}} {
		app, err := project.GetService(name)
		if err != nil {
			t.Errorf("no service %s", name)
			continue
		}
		for _, dep := range deps {
			if d, ok := app.DependsOn[dep]; !ok || d.Condition != types.ServiceConditionHealthy {
				t.Errorf("%s does not wait for a healthy %s: %+v", name, dep, app.DependsOn)
			}
		}
	}
	if url := project.Services["accessledger-kurrentdb"].Environment["EVENTSTORE_URL"]; url == nil || !strings.HasPrefix(*url, "kurrentdb://kurrentdb:") {
		t.Errorf("accessledger-kurrentdb keeps its events elsewhere than the kurrentdb service: %v", url)
	}
}

// oneShotJobs answers the services others wait on to complete (a database to create):
// they run once and exit, and have no health to check.
func oneShotJobs(p *types.Project) map[string]bool {
	jobs := map[string]bool{}
	for _, svc := range p.Services {
		for dep, d := range svc.DependsOn {
			if d.Condition == types.ServiceConditionCompletedSuccessfully {
				jobs[dep] = true
			}
		}
	}
	return jobs
}

// readmeServices parses the README's table of compose services: service -> variables.
func readmeServices(t *testing.T) map[string][]string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(readme), "<!-- compose services: service | what | environment -->")
	if !ok {
		t.Fatal("the README has no table of compose services")
	}
	code := regexp.MustCompile("`([A-Za-z0-9_-]+)`")
	out := map[string][]string{}
	for _, line := range strings.Split(table, "\n")[3:] {
		cells := strings.Split(line, "|")
		if len(cells) < 5 {
			break
		}
		name := code.FindStringSubmatch(cells[1])
		if name == nil {
			t.Fatalf("README service row %q names no service", line)
		}
		var env []string
		for _, m := range code.FindAllStringSubmatch(cells[3], -1) {
			env = append(env, m[1])
		}
		out[name[1]] = env
	}
	return out
}
