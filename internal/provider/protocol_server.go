package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
)

// Write-only action arguments, which the framework cannot serve yet.
//
// Terraform (1.14 and later) takes write-only arguments in actions: they
// accept ephemeral values, are never stored in a saved plan, and show as
// `(write-only attribute)`. terraform-plugin-framework 1.19.0 (the newest
// release) has a WriteOnly field in its action schema, but its own
// ValidateActionConfig refuses any value for such an argument ("Write-only
// attributes are only supported in Terraform 1.11 and later"), because it
// hard-codes the capability off for every schema but a resource's; and its
// action attributes always report themselves as not sensitive.
//
// So an action argument that must be write-only is declared with
// writeOnlyString or writeOnlyMap: the framework sees an ordinary sensitive
// argument (it validates and decodes it as usual), and NewProtocol6 sets
// the write-only flag in the schema Terraform receives. Once the framework
// accepts values for WriteOnly action attributes, these become plain
// attributes with WriteOnly: true and Sensitive, and NewProtocol6 becomes
// providerserver.NewProtocol6.

// protocolWriteOnly is an action attribute that is write-only in the
// schema Terraform receives.
type protocolWriteOnly interface {
	schema.Attribute
	protocolWriteOnly()
}

// writeOnlyStringAttribute is a sensitive string action attribute, write-only
// for Terraform.
type writeOnlyStringAttribute struct{ schema.StringAttribute }

func writeOnlyString(a schema.StringAttribute) writeOnlyStringAttribute {
	return writeOnlyStringAttribute{a}
}

func (writeOnlyStringAttribute) IsSensitive() bool  { return true }
func (writeOnlyStringAttribute) protocolWriteOnly() {}

// writeOnlyMapAttribute is a sensitive map action attribute, write-only for
// Terraform.
type writeOnlyMapAttribute struct{ schema.MapAttribute }

func writeOnlyMap(a schema.MapAttribute) writeOnlyMapAttribute {
	return writeOnlyMapAttribute{a}
}

func (writeOnlyMapAttribute) IsSensitive() bool  { return true }
func (writeOnlyMapAttribute) protocolWriteOnly() {}

// NewProtocol6 is providerserver.NewProtocol6 for p, with the write-only
// flags of p's action attributes set in the schemas it serves. Serve the
// provider with it, never with providerserver's directly.
func NewProtocol6(p provider.Provider) func() tfprotov6.ProviderServer {
	framework := providerserver.NewProtocol6(p)
	writeOnly := writeOnlyActionAttributes(p)
	return func() tfprotov6.ProviderServer {
		s, ok := framework().(frameworkServer)
		if !ok {
			// Only a framework that drops one of these RPCs gets here;
			// every test that starts a server says so at once.
			panic("the framework's provider server no longer answers every RPC protocolServer passes on")
		}
		return &protocolServer{frameworkServer: s, writeOnly: writeOnly}
	}
}

// NewProtocol6WithError is NewProtocol6 for terraform-plugin-testing's
// ProtoV6ProviderFactories.
func NewProtocol6WithError(p provider.Provider) func() (tfprotov6.ProviderServer, error) {
	server := NewProtocol6(p)
	return func() (tfprotov6.ProviderServer, error) { return server(), nil }
}

// frameworkServer is every RPC the framework's server answers: the
// provider, list resource, action and state store ones. protocolServer
// passes each on unchanged but GetProviderSchema.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
	tfprotov6.StateStoreServer
}

type protocolServer struct {
	frameworkServer
	writeOnly map[string][]string // action type → its write-only attributes
}

func (s *protocolServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	resp, err := s.frameworkServer.GetProviderSchema(ctx, req)
	if err != nil || resp == nil {
		return resp, err
	}
	for typ, names := range s.writeOnly {
		as := resp.ActionSchemas[typ]
		if as == nil || as.Schema == nil || as.Schema.Block == nil {
			continue
		}
		for _, a := range as.Schema.Block.Attributes {
			for _, n := range names {
				if a.Name == n {
					a.WriteOnly, a.Sensitive = true, true
				}
			}
		}
	}
	return resp, nil
}

// writeOnlyActionAttributes lists, by action type, the top-level attributes
// of p's actions declared with writeOnlyString or writeOnlyMap.
func writeOnlyActionAttributes(p provider.Provider) map[string][]string {
	pa, ok := p.(provider.ProviderWithActions)
	if !ok {
		return nil
	}
	ctx := context.Background()
	var meta provider.MetadataResponse
	p.Metadata(ctx, provider.MetadataRequest{}, &meta)
	out := map[string][]string{}
	for _, newAction := range pa.Actions(ctx) {
		a := newAction()
		var md action.MetadataResponse
		a.Metadata(ctx, action.MetadataRequest{ProviderTypeName: meta.TypeName}, &md)
		var sr action.SchemaResponse
		a.Schema(ctx, action.SchemaRequest{}, &sr)
		for name, attr := range sr.Schema.Attributes {
			if _, ok := attr.(protocolWriteOnly); ok {
				out[md.TypeName] = append(out[md.TypeName], name)
			}
		}
	}
	return out
}
