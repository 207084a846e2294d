package client

import (
	"context"
	"fmt"
)

// ListProjects fetches one page of projects.
func (c *Client) ListProjects(ctx context.Context, opts ListOptions) (*Page[Project], error) {
	return listPage[Project](ctx, c, "/projects", opts, nil)
}

// ListAllProjects walks every page of projects.
func (c *Client) ListAllProjects(ctx context.Context) ([]Project, error) {
	return listAll[Project](ctx, c, "/projects", nil, nil)
}

// FindProjectByName returns the project named name (exact match), walking
// the project list. Names are not unique: several is a *ManyMatchesError,
// none a *NoMatchError.
func (c *Client) FindProjectByName(ctx context.Context, name string) (*Project, error) {
	all, err := c.ListAllProjects(ctx)
	if err != nil {
		return nil, err
	}
	var found []int
	for i := range all {
		if all[i].Name == name {
			found = append(found, i)
		}
	}
	key := fmt.Sprintf("name %q", name)
	switch len(found) {
	case 0:
		return nil, &NoMatchError{Kind: KindProject, Key: key}
	case 1:
		return &all[found[0]], nil
	}
	ids := make([]int64, len(found))
	for i, j := range found {
		ids[i] = all[j].ID
	}
	return nil, &ManyMatchesError{Kind: KindProject, Key: key, IDs: ids}
}

// CreateProject creates a project (POST /projects) exactly once, or fails
// with an *UnknownOutcomeError (see the package doc). Project names are not
// unique, and another user of the API account may create the same name and
// description at the same moment, so the project is created with a one-time
// claim as its description, and the description is set by a PUT once the
// project is ours: an answer that may hide a create is settled by the
// project carrying the claim. A create costs one more request than the API
// needs (the PUT). After a timeout with none found, it is not tried again:
// the server may still act. When only the PUT fails, the project is
// returned with an *IncompleteCreateError.
func (c *Client) CreateProject(ctx context.Context, in ProjectRequest) (*Project, error) {
	claim := newClaim()
	sent := ProjectRequest{Name: in.Name, Description: claim}
	return create(ctx, c, createOp[Project]{
		kind: KindProject, path: "/projects", body: sent,
		key:     fmt.Sprintf("named %q", in.Name),
		pending: PendingCreate{Name: in.Name, Description: in.Description, Claim: claim},
		sent: func(p Project) string {
			if p.Name != sent.Name || p.Description != sent.Description {
				return fmt.Sprintf("it is the project %q, not the one just sent", p.Name)
			}
			return ""
		},
		lookup: func(ctx context.Context, b *budget) ([]Project, error) {
			all, err := listAll[Project](ctx, c, "/projects", nil, b)
			if err != nil {
				return nil, err
			}
			var out []Project
			for _, p := range all {
				if p.Description == claim {
					out = append(out, p)
				}
			}
			return out, nil
		},
		finish: func(ctx context.Context, p *Project) error {
			if err := c.UpdateProject(ctx, p.ID, in); err != nil {
				return err
			}
			p.Description = in.Description
			return nil
		},
	})
}

// GetProject fetches one project.
func (c *Client) GetProject(ctx context.Context, id int64) (*Project, error) {
	return getByID[Project](ctx, c, "/projects/%s", id)
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
	return listAll[Customer](ctx, c, idPath("/projects/%s/customers", id), nil, nil)
}

// ListProjectAccounts fetches one page of the accounts of a project's
// customers.
func (c *Client) ListProjectAccounts(ctx context.Context, id int64, opts ListOptions) (*Page[Account], error) {
	return listPage[Account](ctx, c, idPath("/projects/%s/accounts", id), opts, nil)
}

// ListAllProjectAccounts walks every page of the accounts of a project's
// customers.
func (c *Client) ListAllProjectAccounts(ctx context.Context, id int64) ([]Account, error) {
	return listAll[Account](ctx, c, idPath("/projects/%s/accounts", id), nil, nil)
}
