using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// Writes of keyCredentials that carry an expired certificate. Graph answers such an update
    /// with 400 KeyCredentialsInvalidEndDate "Key credential end date is invalid." (seen in
    /// terraform-provider-azuread logs); whether it also refuses an expired certificate the app
    /// already holds, sent back unchanged, is UNCONFIRMED (graph-and-exchange.md). So the module
    /// keeps them, and when Graph refuses, says which they are and how to remove them.
    /// </summary>
    public sealed partial class GraphGateway
    {
        private static bool KeepsExpiredCertificate(Application patch) =>
            patch.KeyCredentials != null && patch.KeyCredentials.Any(k => k.EndDateTime.HasValue && k.EndDateTime.Value <= DateTimeOffset.UtcNow);

        /// <summary>The PATCH alone, in its own round trip: a refusal then changes nothing at all.</summary>
        private async Task PatchKeepingExpiredAsync(ApplicationState state, Application patch, CancellationToken cancellationToken)
        {
            var call = PatchCall(state, patch);
            var reply = (await ExecuteAsync(new[] { call }, cancellationToken).ConfigureAwait(false))[call.Id];
            if (reply.IsSuccess) return;
            if (reply.Status == 400 && string.Equals(reply.Error().Code, "KeyCredentialsInvalidEndDate", StringComparison.OrdinalIgnoreCase))
                throw ExpiredCertificateOnApplication(state, patch);
            throw reply.ToException(GraphOperations.UpdateApplication);
        }

        private static DropzoneException ExpiredCertificateOnApplication(ApplicationState state, Application patch)
        {
            var now = DateTimeOffset.UtcNow;
            return DropzoneErrors.ExpiredCertificateOnApplication(state, patch.KeyCredentials
                .Where(k => k.EndDateTime.HasValue && k.EndDateTime.Value <= now).Select(CertificateDetails.From).ToList());
        }
    }
}
