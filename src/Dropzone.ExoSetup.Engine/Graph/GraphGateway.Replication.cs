using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Dropzone.ExoSetup.Engine.Planning;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Graph
{
    /// <summary>
    /// The write side of Entra ID replication. A service principal created moments ago is not known
    /// everywhere yet: reads miss it, and consent naming it is refused with 400 "Not a valid
    /// reference update." (microsoftgraph/msgraph-sdk-dotnet issue 2508) until it has replicated.
    /// </summary>
    public sealed partial class GraphGateway
    {
        /// <summary>
        /// The outcome of the service principal's POST: its id, and whether it existed already
        /// (409: nothing was created, so the step is not Done by this run).
        /// </summary>
        private async Task<(string Id, bool Existed, DropzoneException Failure)> ReadCreatedServicePrincipalAsync(Guid appId, GraphReply reply,
            TimeSpan replicationTimeout, CancellationToken cancellationToken)
        {
            if (reply.IsSuccess)
            {
                var created = await reply.ReadAsync(ServicePrincipal.CreateFromDiscriminatorValue, cancellationToken).ConfigureAwait(false);
                Created.RememberServicePrincipal(appId, created);
                return (created.Id, false, null);
            }
            if (reply.Status != 409) return (null, false, reply.ToException(GraphOperations.CreateServicePrincipal));

            // 409 Request_MultipleObjectsWithSameKeyValue: it exists (made by someone else, or by a
            // POST of ours whose answer was lost) but the read before did not show it: wait for it.
            OperationScope.Log.Verbose($"The service principal of {appId} exists already (409); waiting until reads show it.");
            var found = await FindServicePrincipalAsync(appId, replicationTimeout, cancellationToken).ConfigureAwait(false);
            if (found == null)
                return (null, true, DropzoneErrors.ServicePrincipalNotVisible(appId, replicationTimeout));
            return (found.ObjectId, true, null);
        }

        /// <summary>
        /// Entra ID refused the consent because the principal is still replicating: sends it again
        /// with growing pauses (and progress) for up to <paramref name="replicationTimeout"/>; then
        /// ReplicationTimeout. True when this call granted it, false when it existed already.
        /// </summary>
        private async Task<bool> GrantConsentAgainAsync(ApplicationState state, string principalId, TimeSpan replicationTimeout,
            ApplyResult result, CancellationToken cancellationToken)
        {
            var log = OperationScope.Log;
            GraphReply reply = null;
            log.Verbose($"Entra ID refused the consent for the service principal {principalId}: it has not replicated yet. Sending it again for up to {replicationTimeout.TotalSeconds:0} s.");
            var watch = Stopwatch.StartNew();
            var (succeeded, attempts) = await WaitForReplicationAsync($"Admin consent: the service principal {principalId} is not known everywhere yet", replicationTimeout, async () =>
            {
                reply = await SendConsentAsync(state, principalId, cancellationToken).ConfigureAwait(false);
                var lag = IsReplicationLag(reply);
                log.Verbose($"Consent sent again after {watch.Elapsed.TotalSeconds:0.#} s: {reply.Status}{(lag ? " (still replicating)" : string.Empty)}.");
                return !lag;
            }, cancellationToken).ConfigureAwait(false);
            result.ReplicationRetries += attempts;
            result.ReplicationWait += watch.Elapsed;
            if (!succeeded)
                throw DropzoneErrors.ConsentReplicationTimeout(principalId, replicationTimeout, attempts + 1, $"{reply?.Status} {reply?.Error().Message}");
            return await ConsentOutcomeAsync(state, reply, cancellationToken).ConfigureAwait(false);
        }

        private async Task<GraphReply> SendConsentAsync(ApplicationState state, string principalId, CancellationToken cancellationToken)
        {
            var call = ConsentCall(state, principalId);
            return (await ExecuteAsync(new[] { call }, cancellationToken).ConfigureAwait(false))[call.Id];
        }

        /// <summary>True when the reply granted consent (remembered for the session), false when it existed already; throws otherwise.</summary>
        private async Task<bool> ConsentOutcomeAsync(ApplicationState state, GraphReply reply, CancellationToken cancellationToken)
        {
            if (reply.IsSuccess)
            {
                Created.RememberConsent(state.AppId, await reply.ReadAsync(AppRoleAssignment.CreateFromDiscriminatorValue, cancellationToken).ConfigureAwait(false));
                return true;
            }
            if (IsGrantedOrAlready(reply)) return false;
            throw reply.ToException(GraphOperations.GrantConsent);
        }

        /// <summary>
        /// Entra ID does not know the principal yet: 400 "Not a valid reference update." or a 404
        /// on it (the resource's own service principal was read moments before, so it exists).
        /// </summary>
        private static bool IsReplicationLag(GraphReply reply) =>
            reply.Status == 404
            || (reply.Status == 400 && (reply.Error().Message ?? string.Empty).IndexOf("Not a valid reference update", StringComparison.OrdinalIgnoreCase) >= 0);

        /// <summary>What this run deleted is forgotten, so a later read in the session cannot bring it back.</summary>
        private void ForgetDeleted(ApplicationState state, IReadOnlyList<PlannedChange> changes, IReadOnlyDictionary<string, GraphReply> replies)
        {
            if (replies.TryGetValue("delete-sp", out var deleted) && (deleted.IsSuccess || deleted.Status == 404))
                Created.ForgetServicePrincipal(state.AppId);
            if (changes.Any(c => c.Kind == ChangeKind.RevokeConsent && replies.TryGetValue("revoke-" + c.AssignmentId, out var revoked) && (revoked.IsSuccess || revoked.Status == 404)))
                Created.ForgetConsent(state.AppId);
        }
    }
}
