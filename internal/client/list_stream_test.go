package client_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/client"
	"github.com/vpnresellers/terraform-provider-vpnresellers/internal/mockapi"
)

func projectKey(p client.Project) int64 { return p.ID }

func TestItemsFetchesPagesOnlyAsConsumed(t *testing.T) {
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
	if n != 5 || f.mock.Count("GET /projects") != 3 {
		t.Fatalf("got %d projects with %d requests, want 5 from 3 pages", n, f.mock.Count("GET /projects"))
	}
}

// Offset paging: when an object before the current page is deleted
// between two requests, the next page arrives shifted back by one and
// repeats the previous page's last item, which is yielded only once.
func TestItemsSkipsItemsSeenTwice(t *testing.T) {
	f := newFixture(t, func(c *client.Config) { c.PageSize = 2 })
	for i := range 4 {
		must[*client.Project](t)(f.client.CreateProject(ctx(t), client.ProjectRequest{Name: fmt.Sprint("p", i), Description: "d"}))
	}
	fetch := func(ctx context.Context, opts client.ListOptions) (*client.Page[client.Project], error) {
		if opts.Page == 2 { // items 2 and 3 instead of 3 and 4
			p, err := f.client.ListProjects(ctx, client.ListOptions{Page: 1, PerPage: 3})
			if err != nil {
				return nil, err
			}
			p.Data = p.Data[1:]
			p.Meta.LastPage = 2
			return p, nil
		}
		return f.client.ListProjects(ctx, opts)
	}
	var ids []int64
	for p, err := range client.Items(ctx(t), f.client, fetch, projectKey) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	if fmt.Sprint(ids) != "[1 2 3]" {
		t.Fatalf("got %v, want [1 2 3]", ids)
	}
}

func TestItemsEndsWithTheError(t *testing.T) {
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
