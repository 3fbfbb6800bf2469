using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Errors;
using Microsoft.Graph;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// The only code that builds Graph requests. Each method is one documented Graph call (or one
    /// batch of them) and returns plain engine types; Graph's exceptions leave it translated.
    /// </summary>
    public sealed class GraphGateway
    {
        private readonly GraphServiceClient _client;

        internal GraphGateway(GraphServiceClient client)
        {
            _client = client;
        }

        /// <summary>GET /organization: the tenant id, its name and its initial *.onmicrosoft.com domain.</summary>
        public Task<OrganizationInfo> GetOrganizationAsync(CancellationToken cancellationToken) =>
            Call(GraphOperation.ReadOrganization, cancellationToken, async () =>
            {
                var page = await _client.Organization.GetAsync(request =>
                    request.QueryParameters.Select = new[] { "id", "displayName", "verifiedDomains" }, cancellationToken).ConfigureAwait(false);
                var organization = page?.Value?.FirstOrDefault()
                    ?? throw new DropzoneException(ErrorIds.GraphRequestFailed, ErrorKind.InvalidData,
                        "Graph returned no organization for this tenant.", "Check that the account signs in to the intended tenant.");
                var initial = organization.VerifiedDomains?.FirstOrDefault(d => d.IsInitial == true)?.Name;
                return new OrganizationInfo(organization.Id, organization.DisplayName, initial);
            });

        private static async Task<T> Call<T>(GraphOperation operation, CancellationToken cancellationToken, Func<Task<T>> call)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (!(e is DropzoneException))
            {
                throw ErrorTranslator.Translate(e, operation);
            }
        }
    }
}
