package client_test

import (
	"fmt"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func projectKey(p client.Project) int64 { return p.ID }

func TestItems_fetchesPagesOnlyAsConsumed(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.PageSize = 2 })
	for i := range 5 {
		must[*client.Project](t)(f.client.CreateProject(ctx(t), client.ProjectRequest{Name: fmt.Sprint("p", i), Description: "d"}))
	}

	f.mock.ResetCounts()
	var names []string
	for p, err := range client.Items(ctx(t), f.client, f.client.ListProjects, projectKey) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p.Name)
		if len(names) == 3 {
			break
		}
	}
	if fmt.Sprint(names) != "[p0 p1 p2]" || f.mock.Count("GET /projects") != 2 {
		t.Fatalf("got %v with %d requests, want 3 projects from 2 pages", names, f.mock.Count("GET /projects"))
	}

	f.mock.ResetCounts()
	n := 0
	for _, err := range client.Items(ctx(t), f.client, f.client.ListProjects, projectKey) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != 5 || f.mock.Count("GET /projects") != walkRequests(3) {
		t.Fatalf("got %d projects with %d requests, want 5 from 3 pages and their 2 seams", n, f.mock.Count("GET /projects"))
	}
}

// Offset paging: when the list shifts between two requests, a page repeats
// the previous page's last item and leaves one out. The stream reads the
// list again and yields every item once.
func TestItems_rewalksAShiftedList(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.PageSize = 2 })
	for i := range 5 {
		must[*client.Project](t)(f.client.CreateProject(ctx(t), client.ProjectRequest{Name: fmt.Sprint("p", i), Description: "d"}))
	}
	f.mock.ResetCounts()
	f.mock.RepeatItemAfter(1) // page 2 of the first walk
	var ids []int64
	for p, err := range client.Items(ctx(t), f.client, f.client.ListProjects, projectKey) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if fmt.Sprint(ids) != "[1 2 3 4 5]" {
		t.Fatalf("got %v, want [1 2 3 4 5]", ids)
	}
	if n := f.mock.Count("GET /projects"); n != 2+walkRequests(3) {
		t.Errorf("%d requests, want 2 (the shifted walk) + 3 pages and 2 seams", n)
	}
}

func TestItems_endsWithTheError(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.PageSize = 1; c.MaxRetries = -1 })
	for i := range 2 {
		must[*client.Project](t)(f.client.CreateProject(ctx(t), client.ProjectRequest{Name: fmt.Sprint("p", i), Description: "d"}))
	}
	f.mock.FailNext("GET /projects", 1, mockapi.FailBefore) // page 1 fails
	var got []error
	for _, err := range client.Items(ctx(t), f.client, f.client.ListProjects, projectKey) {
		got = append(got, err)
	}
	if len(got) != 1 || got[0] == nil {
		t.Fatalf("want a single error, got %v", got)
	}
}
