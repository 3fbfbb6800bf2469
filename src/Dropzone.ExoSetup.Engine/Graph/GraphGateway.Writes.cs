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
    /// <summary>What applying a plan produced.</summary>
    public sealed class ApplyResult
    {
        internal ApplyResult(string servicePrincipalId, IReadOnlyList<PlannedChange> applied)
        {
            ServicePrincipalId = servicePrincipalId;
            Applied = applied;
        }

        /// <summary>The app's service principal id: the one that existed or the one just created.</summary>
        public string ServicePrincipalId { get; }

        public IReadOnlyList<PlannedChange> Applied { get; }

        /// <summary>
        /// The app registration as read back after its certificates or permissions were written and
        /// checked (see VerifyWriteAsync); null when they were not written.
        /// </summary>
        public ApplicationState VerifiedApplication { get; internal set; }
    }

    public sealed partial class GraphGateway
    {
        /// <summary>
        /// Writes the approved changes in as few round trips as their dependencies allow: the
        /// application's certificates and permissions in one PATCH, together with the service
        /// principal's creation and any consent whose principal already exists; then the consent for
        /// a service principal just created, by the id its POST returned (reads lag behind writes).
        /// A failure leaves the tenant in a state that running the step again completes.
        /// </summary>
        public async Task<ApplyResult> ApplyAsync(ApplicationState state, IReadOnlyList<PlannedChange> changes, CancellationToken cancellationToken)
        {
            var servicePrincipalId = state.ServicePrincipal?.ObjectId;
            if (changes.Count == 0) return new ApplyResult(servicePrincipalId, changes);

            var first = new List<GraphCall>();
            var patch = ApplicationPatch(changes);
            if (patch != null)
                first.Add(PatchCall(state, patch));
            var createSp = changes.Any(c => c.Kind == ChangeKind.CreateServicePrincipal);
            if (createSp)
                first.Add(new GraphCall("sp", _client.ServicePrincipals.ToPostRequestInformation(new ServicePrincipal { AppId = state.AppId.ToString(), Tags = new List<string> { WellKnown.CreatedByTag } }), GraphOperations.CreateServicePrincipal));
            foreach (var revoke in changes.Where(c => c.Kind == ChangeKind.RevokeConsent))
                first.Add(new GraphCall("revoke-" + revoke.AssignmentId, _client.ServicePrincipals[state.ExchangeResource.ObjectId].AppRoleAssignedTo[revoke.AssignmentId].ToDeleteRequestInformation(), GraphOperations.RevokeConsent));
            if (changes.Any(c => c.Kind == ChangeKind.DeleteServicePrincipal) && servicePrincipalId != null)
                first.Add(new GraphCall("delete-sp", _client.ServicePrincipals[servicePrincipalId].ToDeleteRequestInformation(), GraphOperations.DeleteServicePrincipal));
            var consent = changes.Any(c => c.Kind == ChangeKind.GrantConsent);
            if (consent && servicePrincipalId != null)
                first.Add(ConsentCall(state, servicePrincipalId));

            var writeWatch = Stopwatch.StartNew();
            var replies = await ExecuteAsync(first, cancellationToken).ConfigureAwait(false);
            var writeTook = writeWatch.Elapsed;
            var failures = new List<DropzoneException>();
            if (replies.TryGetValue("patch", out var patchReply) && !patchReply.IsSuccess) failures.Add(patchReply.ToException(GraphOperations.UpdateApplication));
            foreach (var reply in replies.Where(r => r.Key.StartsWith("revoke-")).Select(r => r.Value))
                if (!reply.IsSuccess && reply.Status != 404) failures.Add(reply.ToException(GraphOperations.RevokeConsent));
            if (replies.TryGetValue("delete-sp", out var deleteReply) && !deleteReply.IsSuccess && deleteReply.Status != 404)
                failures.Add(deleteReply.ToException(GraphOperations.DeleteServicePrincipal));
            if (replies.TryGetValue("consent", out var consentReply) && !IsGrantedOrAlready(consentReply)) failures.Add(consentReply.ToException(GraphOperations.GrantConsent));
            if (replies.TryGetValue("sp", out var spReply))
            {
                if (spReply.IsSuccess)
                    servicePrincipalId = (await spReply.ReadAsync(ServicePrincipal.CreateFromDiscriminatorValue, cancellationToken).ConfigureAwait(false)).Id;
                else if (spReply.Status == 409)
                    servicePrincipalId = await WaitForServicePrincipalAsync(state.AppId, cancellationToken).ConfigureAwait(false);
                else
                    failures.Add(spReply.ToException(GraphOperations.CreateServicePrincipal));
            }
            if (failures.Count > 0) throw failures[0];

            GraphReply verified = null;
            if (consent && !replies.ContainsKey("consent"))
            {
                // The read that checks the PATCH goes along: no round trip of its own, after the
                // same wait as a check alone (VerifyWriteAsync).
                if (patch != null) await Task.Delay(VerifyDelay(writeTook), cancellationToken).ConfigureAwait(false);
                var call = ConsentCall(state, servicePrincipalId);
                var last = await ExecuteAsync(patch == null ? new[] { call } : new[] { call, VerifyCall(state) }, cancellationToken).ConfigureAwait(false);
                var reply = last[call.Id];
                if (!IsGrantedOrAlready(reply)) throw reply.ToException(GraphOperations.GrantConsent);
                last.TryGetValue(VerifyCallId, out verified);
            }
            var result = new ApplyResult(servicePrincipalId, changes);
            if (patch != null) result.VerifiedApplication = await VerifyWriteAsync(state, patch, verified, writeTook, cancellationToken).ConfigureAwait(false);
            return result;
        }

        private GraphCall ConsentCall(ApplicationState state, string principalId) =>
            new GraphCall("consent", _client.ServicePrincipals[state.ExchangeResource.ObjectId].AppRoleAssignedTo.ToPostRequestInformation(new AppRoleAssignment
            {
                PrincipalId = Guid.Parse(principalId),
                ResourceId = Guid.Parse(state.ExchangeResource.ObjectId),
                AppRoleId = WellKnown.ManageAsAppRoleId,
            }), GraphOperations.GrantConsent);

        // Graph answers a consent that exists already with 400 "Permission being assigned already
        // exists on the object": that is the state we want.
        private static bool IsGrantedOrAlready(GraphReply reply) =>
            reply.IsSuccess || (reply.Status == 400 && (reply.Error().Message ?? string.Empty).IndexOf("already exists", StringComparison.OrdinalIgnoreCase) >= 0);

        private static Application ApplicationPatch(IReadOnlyList<PlannedChange> changes)
        {
            var keyCredentials = changes.LastOrDefault(c => c.KeyCredentials != null)?.KeyCredentials;
            var permissions = changes.LastOrDefault(c => c.RequiredResourceAccess != null)?.RequiredResourceAccess;
            if (keyCredentials == null && permissions == null) return null;
            var patch = new Application();
            if (keyCredentials != null) patch.KeyCredentials = keyCredentials;
            if (permissions != null) patch.RequiredResourceAccess = permissions;
            return patch;
        }

        /// <summary>
        /// The service principal exists (the POST said so) but reads do not show it yet: wait for it.
        /// </summary>
        private async Task<string> WaitForServicePrincipalAsync(Guid appId, CancellationToken cancellationToken)
        {
            var found = await FindServicePrincipalAsync(appId, ReplicationTimeout, cancellationToken).ConfigureAwait(false);
            return found?.ObjectId ?? throw new DropzoneException(ErrorIds.ReplicationTimeout, ErrorKind.OperationTimeout,
                $"The service principal of {appId} exists but stayed invisible to reads for {ReplicationTimeout.TotalSeconds:0} s.",
                "Wait a few minutes for Entra ID to replicate, then run the command again.", appId);
        }

        /// <summary>
        /// The app's service principal, polling with a growing pause for up to <paramref name="wait"/>
        /// while reads do not show it yet (replication); null when it never appears.
        /// </summary>
        public async Task<ServicePrincipalInfo> FindServicePrincipalAsync(Guid appId, TimeSpan wait, CancellationToken cancellationToken)
        {
            var log = OperationScope.Log;
            var watch = Stopwatch.StartNew();
            var pause = TimeSpan.FromSeconds(1);
            const int activity = 4711;
            var waited = false;
            try
            {
                while (true)
                {
                    var found = await FindServicePrincipalAsync(appId, cancellationToken).ConfigureAwait(false);
                    var left = wait - watch.Elapsed;
                    if (found != null || left <= TimeSpan.Zero) return found;
                    waited = true;
                    log.Progress(new OperationProgress(activity, "Waiting for Entra ID replication",
                        $"The service principal of {appId} is not readable yet", (int)Math.Min(99, 100 * watch.Elapsed.TotalSeconds / wait.TotalSeconds), (int)left.TotalSeconds));
                    await Task.Delay(pause < left ? pause : left, cancellationToken).ConfigureAwait(false);
                    if (pause < TimeSpan.FromSeconds(5)) pause += TimeSpan.FromSeconds(1);
                }
            }
            finally
            {
                if (waited) log.Progress(new OperationProgress(activity, "Waiting for Entra ID replication", "Done", completed: true));
            }
        }
    }
}
