package client

import (
	"context"
	"fmt"
	"strings"
)

// ListProjects fetches one page of projects.
func (c *Client) ListProjects(ctx context.Context, opts ListOptions) (*Page[Project], error) {
	return listPage[Project](ctx, c, "/projects", opts, nil)
}

// ListAllProjects walks every page of projects.
func (c *Client) ListAllProjects(ctx context.Context) ([]Project, error) {
	return listAll(ctx, c, "/projects", nil, projectID)
}

// CreateProject creates a project (POST /projects).
//
// Project names are not unique, so a create whose outcome is unknown cannot
// be settled by a lookup the way accounts and customers are: if no project
// with the same name and description exists afterwards the create is tried
// again; if one does, the client stops with an UnknownOutcomeError naming the
// candidates rather than adopt or duplicate one.
func (c *Client) CreateProject(ctx context.Context, in ProjectRequest) (*Project, error) {
	var lastErr error
	for attempt := 0; attempt <= c.http.RetryMax; attempt++ {
		var p Project
		err := c.do(ctx, request{method: "POST", path: "/projects", body: in}, &p)
		if err == nil {
			return &p, nil
		}
		if !outcomeUnknown(ctx, err) {
			return nil, err
		}
		lastErr = err
		c.logf(ctx, "project create outcome unknown; looking for it by name", map[string]any{"error": err.Error()})
		all, lookErr := c.ListAllProjects(ctx)
		if lookErr != nil {
			return nil, &UnknownOutcomeError{Object: "project", Key: fmt.Sprintf("%q", in.Name), Err: err}
		}
		var ids []string
		for _, p := range all {
			if p.Name == in.Name && p.Description == in.Description {
				ids = append(ids, fmt.Sprint(p.ID))
			}
		}
		if len(ids) > 0 {
			return nil, &UnknownOutcomeError{
				Object: "project", Key: fmt.Sprintf("%q", in.Name), Err: err,
				Hint: fmt.Sprintf("Projects with this name and description exist with id %s; if one of them is the new project, import it with `terraform import`", strings.Join(ids, ", ")),
			}
		}
	}
	return nil, &UnknownOutcomeError{Object: "project", Key: fmt.Sprintf("%q", in.Name), Err: lastErr, Hint: "It was not found afterwards; try again"}
}

// GetProject fetches one project.
func (c *Client) GetProject(ctx context.Context, id int64) (*Project, error) {
	var p Project
	if err := c.do(ctx, request{method: "GET", path: idPath("/projects/%s", id)}, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// UpdateProject sets a project's name and description (both required). The
// API answers without the project.
func (c *Client) UpdateProject(ctx context.Context, id int64, in ProjectRequest) error {
	return c.do(ctx, request{method: "PUT", path: idPath("/projects/%s", id), body: in}, nil)
}

// DeleteProject deletes a project; one that still has customers cannot be
// deleted (ErrValidation).
func (c *Client) DeleteProject(ctx context.Context, id int64) error {
	return c.do(ctx, request{method: "DELETE", path: idPath("/projects/%s", id)}, nil)
}

// ListProjectCustomers fetches one page of a project's customers.
func (c *Client) ListProjectCustomers(ctx context.Context, id int64, opts ListOptions) (*Page[Customer], error) {
	return listPage[Customer](ctx, c, idPath("/projects/%s/customers", id), opts, nil)
}

// ListAllProjectCustomers walks every page of a project's customers.
func (c *Client) ListAllProjectCustomers(ctx context.Context, id int64) ([]Customer, error) {
	return listAll(ctx, c, idPath("/projects/%s/customers", id), nil, customerID)
}

// ListProjectAccounts fetches one page of the accounts of a project's
// customers.
func (c *Client) ListProjectAccounts(ctx context.Context, id int64, opts ListOptions) (*Page[Account], error) {
	return listPage[Account](ctx, c, idPath("/projects/%s/accounts", id), opts, nil)
}

// ListAllProjectAccounts walks every page of the accounts of a project's
// customers.
func (c *Client) ListAllProjectAccounts(ctx context.Context, id int64) ([]Account, error) {
	return listAll(ctx, c, idPath("/projects/%s/accounts", id), nil, accountID)
}
