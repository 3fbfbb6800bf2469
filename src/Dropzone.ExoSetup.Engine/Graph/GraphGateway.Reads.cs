using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Graph
{
    public sealed partial class GraphGateway
    {
        private static readonly string[] ApplicationFields = { "id", "appId", "displayName", "keyCredentials", "passwordCredentials", "requiredResourceAccess" };
        private static readonly string[] ServicePrincipalFields = { "id", "appId", "displayName", "tags" };

        /// <summary>
        /// Reads the app registration and the parts asked for in one round trip. The application is
        /// read alone with $select naming keyCredentials, the only read in which Graph returns the
        /// certificates' keys, which a write must send back.
        /// </summary>
        public async Task<ApplicationState> ReadApplicationAsync(Guid appId, ApplicationParts parts, CancellationToken cancellationToken)
        {
            var calls = new List<GraphCall> { ApplicationCall("app", appId) };
            if (parts.HasFlag(ApplicationParts.ServicePrincipal)) calls.Add(ServicePrincipalCall("sp", appId, ServicePrincipalFields));
            if (parts.HasFlag(ApplicationParts.Consent))
            {
                calls.Add(ServicePrincipalCall("exo", WellKnown.ExchangeOnlineAppId, new[] { "id", "appId", "displayName", "appRoles" }));
                calls.Add(new GraphCall("assignments", _client.ServicePrincipals["x"].AppRoleAssignments
                    .WithUrl($"{BaseUrl}/servicePrincipals(appId='{appId}')/appRoleAssignments")
                    .ToGetRequestInformation(), GraphOperations.ReadServicePrincipal));
            }
            if (parts.HasFlag(ApplicationParts.Organization)) calls.Add(OrganizationCall("org"));

            var replies = await ExecuteAsync(calls, cancellationToken).ConfigureAwait(false);

            var application = await ReadApplicationReplyAsync(replies["app"], appId, cancellationToken).ConfigureAwait(false);
            var sp = replies.TryGetValue("sp", out var spReply) ? await ReadOptional(spReply, ServicePrincipal.CreateFromDiscriminatorValue, GraphOperations.ReadServicePrincipal, cancellationToken).ConfigureAwait(false) : null;
            var exo = replies.TryGetValue("exo", out var exoReply) ? await ReadOptional(exoReply, ServicePrincipal.CreateFromDiscriminatorValue, GraphOperations.ReadServicePrincipal, cancellationToken).ConfigureAwait(false) : null;
            var assignments = replies.TryGetValue("assignments", out var assignmentReply)
                ? (await ReadOptional(assignmentReply, AppRoleAssignmentCollectionResponse.CreateFromDiscriminatorValue, GraphOperations.ReadServicePrincipal, cancellationToken).ConfigureAwait(false))?.Value
                : null;
            var organization = replies.TryGetValue("org", out var orgReply) ? await ReadOrganizationAsync(orgReply, cancellationToken).ConfigureAwait(false) : null;
            return WithSessionMemory(appId, application, sp, exo, assignments, organization, parts);
        }

        /// <summary>The app registrations with exactly this display name.</summary>
        public async Task<IReadOnlyList<ApplicationIdentity>> FindApplicationsAsync(string displayName, CancellationToken cancellationToken)
        {
            var call = new GraphCall("apps", _client.Applications.ToGetRequestInformation(r =>
            {
                r.QueryParameters.Filter = $"displayName eq '{displayName.Replace("'", "''")}'";
                r.QueryParameters.Select = new[] { "id", "appId", "displayName" };
            }), GraphOperations.ReadApplication);
            var reply = (await ExecuteAsync(new[] { call }, cancellationToken).ConfigureAwait(false))[call.Id];
            var page = await Read(reply, ApplicationCollectionResponse.CreateFromDiscriminatorValue, GraphOperations.ReadApplication, cancellationToken).ConfigureAwait(false);
            return (page?.Value ?? new List<Application>())
                .Select(a => new ApplicationIdentity(a.Id, Guid.TryParse(a.AppId, out var id) ? id : Guid.Empty, a.DisplayName))
                .ToList();
        }

        /// <summary>
        /// The Application (client) ID of the one app registration with this display name;
        /// ApplicationNotFound when there is none, ApplicationAmbiguous (listing their ids) when
        /// there are several.
        /// </summary>
        public async Task<Guid> ResolveApplicationAsync(string displayName, CancellationToken cancellationToken)
        {
            var found = await FindApplicationsAsync(displayName, cancellationToken).ConfigureAwait(false);
            if (found.Count == 0)
                throw DropzoneErrors.ApplicationNotFoundByName(displayName);
            if (found.Count > 1)
                throw DropzoneErrors.ApplicationAmbiguous(displayName, found.Select(a => a.AppId).ToList());
            return found[0].AppId;
        }

        /// <summary>The app's service principal (Enterprise application), or null when it has none.</summary>
        public async Task<ServicePrincipalInfo> FindServicePrincipalAsync(Guid appId, CancellationToken cancellationToken)
        {
            var call = ServicePrincipalCall("sp", appId, ServicePrincipalFields);
            var reply = (await ExecuteAsync(new[] { call }, cancellationToken).ConfigureAwait(false))[call.Id];
            var sp = await ReadOptional(reply, ServicePrincipal.CreateFromDiscriminatorValue, GraphOperations.ReadServicePrincipal, cancellationToken).ConfigureAwait(false);
            return sp == null ? null : ServicePrincipalInfo.From(sp);
        }

        private GraphCall ApplicationCall(string id, Guid appId) =>
            new GraphCall(id, _client.ApplicationsWithAppId(appId.ToString())
                .ToGetRequestInformation(r => r.QueryParameters.Select = ApplicationFields), GraphOperations.ReadApplication);

        private static Task<Application> ReadApplicationReplyAsync(GraphReply reply, Guid appId, CancellationToken cancellationToken) =>
            reply.Status == 404
                ? throw DropzoneErrors.ApplicationNotFound(appId.ToString())
                : Read(reply, Application.CreateFromDiscriminatorValue, GraphOperations.ReadApplication, cancellationToken);

        private string BaseUrl => _client.RequestAdapter.BaseUrl.TrimEnd('/');

        private GraphCall ServicePrincipalCall(string id, Guid appId, string[] fields) =>
            new GraphCall(id, _client.ServicePrincipalsWithAppId(appId.ToString())
                .ToGetRequestInformation(r => r.QueryParameters.Select = fields), GraphOperations.ReadServicePrincipal);

        private GraphCall OrganizationCall(string id) =>
            new GraphCall(id, _client.Organization.ToGetRequestInformation(r =>
                r.QueryParameters.Select = new[] { "id", "displayName", "verifiedDomains" }), GraphOperations.ReadOrganization);

        private static async Task<OrganizationInfo> ReadOrganizationAsync(GraphReply reply, CancellationToken cancellationToken)
        {
            var page = await Read(reply, OrganizationCollectionResponse.CreateFromDiscriminatorValue, GraphOperations.ReadOrganization, cancellationToken).ConfigureAwait(false);
            var organization = page?.Value?.FirstOrDefault()
                ?? throw DropzoneErrors.OrganizationMissing();
            var initial = organization.VerifiedDomains?.FirstOrDefault(d => d.IsInitial == true)?.Name;
            return new OrganizationInfo(organization.Id, organization.DisplayName, initial);
        }

        private static async Task<T> Read<T>(GraphReply reply, Microsoft.Kiota.Abstractions.Serialization.ParsableFactory<T> factory, GraphOperation operation, CancellationToken cancellationToken)
            where T : Microsoft.Kiota.Abstractions.Serialization.IParsable
        {
            if (!reply.IsSuccess) throw reply.ToException(operation);
            return await reply.ReadAsync(factory, cancellationToken).ConfigureAwait(false);
        }

        private static Task<T> ReadOptional<T>(GraphReply reply, Microsoft.Kiota.Abstractions.Serialization.ParsableFactory<T> factory, GraphOperation operation, CancellationToken cancellationToken)
            where T : class, Microsoft.Kiota.Abstractions.Serialization.IParsable =>
            reply.Status == 404 ? Task.FromResult<T>(null) : Read(reply, factory, operation, cancellationToken);
    }
}
