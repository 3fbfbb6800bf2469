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
        internal ApplyResult(string servicePrincipalId)
        {
            ServicePrincipalId = servicePrincipalId;
        }

        /// <summary>The app's service principal id: the one that existed or the one just created.</summary>
        public string ServicePrincipalId { get; }

        /// <summary>
        /// The app registration as read back after its certificates or permissions were written and
        /// checked (see VerifyWriteAsync); null when they were not written.
        /// </summary>
        public ApplicationState VerifiedApplication { get; internal set; }
        /// <summary>
        /// Changes Graph answered "already so" (a service principal that exists: 409; a consent that
        /// exists): nothing changed for them, so a step made only of these is AlreadyDone, not Done.
        /// </summary>
        public IReadOnlyList<PlannedChange> AlreadyDone { get; internal set; } = new List<PlannedChange>();

        /// <summary>Consent requests sent again because Entra ID had not replicated the new service principal yet.</summary>
        public int ReplicationRetries { get; internal set; }

        /// <summary>How long those retries waited.</summary>
        public TimeSpan ReplicationWait { get; internal set; }
    }

    public sealed partial class GraphGateway
    {
        /// <summary>
        /// Writes the approved changes in as few round trips as their dependencies allow: the
        /// application's certificates and permissions in one PATCH, together with the service
        /// principal's creation and any consent whose principal already exists; then the consent for
        /// a service principal just created, by the id its POST returned (reads lag behind writes),
        /// sent again while Entra ID has not replicated that principal (GraphGateway.Replication.cs).
        /// A PATCH that keeps an expired certificate goes alone, first (GraphGateway.Certificates.cs).
        /// What the session creates is remembered (<see cref="Created"/>); what Graph reports as
        /// existing already is in <see cref="ApplyResult.AlreadyDone"/>.
        /// A failure leaves the tenant in a state that running the step again completes.
        /// </summary>
        public Task<ApplyResult> ApplyAsync(ApplicationState state, IReadOnlyList<PlannedChange> changes, CancellationToken cancellationToken) =>
            ApplyAsync(state, changes, ReplicationTimeout, cancellationToken);

        /// <summary>
        /// As <see cref="ApplyAsync(ApplicationState, IReadOnlyList{PlannedChange}, CancellationToken)"/>;
        /// a consent Entra ID refuses while the service principal replicates is retried for up to
        /// <paramref name="replicationTimeout"/> (then ReplicationTimeout).
        /// <paramref name="servicePrincipalReady"/> is told the service principal's id as soon as work
        /// that needs only that id (Exchange's) may start, before consent and its retries: at once when
        /// it exists, or when Graph answers its creation; but never before a PATCH that keeps an
        /// expired certificate (it goes alone first and may be refused) was accepted, so that such a
        /// refusal leaves every service exactly as it was.
        /// </summary>
        public async Task<ApplyResult> ApplyAsync(ApplicationState state, IReadOnlyList<PlannedChange> changes, TimeSpan replicationTimeout, CancellationToken cancellationToken,
            Action<string> servicePrincipalReady = null)
        {
            var servicePrincipalId = state.ServicePrincipal?.ObjectId;
            if (changes.Count == 0) return new ApplyResult(servicePrincipalId);
            var alreadyDone = new List<PlannedChange>();

            var first = new List<GraphCall>();
            var written = ApplicationPatch(changes);
            var patch = written;
            var writtenAlone = false;
            var writeTook = TimeSpan.Zero;
            // A PATCH that keeps an expired certificate may be refused as a whole: it goes alone
            // first, so that a refusal leaves the tenant exactly as it was.
            if (patch != null && KeepsExpiredCertificate(patch))
            {
                var aloneWatch = Stopwatch.StartNew();
                await PatchKeepingExpiredAsync(state, patch, cancellationToken).ConfigureAwait(false);
                writeTook = aloneWatch.Elapsed;
                writtenAlone = true;
                patch = null;
            }
            if (servicePrincipalId != null) servicePrincipalReady?.Invoke(servicePrincipalId);
            if (patch != null)
                first.Add(PatchCall(state, patch));
            var createSp = changes.Any(c => c.Kind == ChangeKind.CreateServicePrincipal);
            if (createSp)
                first.Add(CreateServicePrincipalCall(state.AppId));
            foreach (var revoke in changes.Where(c => c.Kind == ChangeKind.RevokeConsent))
                first.Add(new GraphCall("revoke-" + revoke.AssignmentId, _client.ServicePrincipals[state.ExchangeResource.ObjectId].AppRoleAssignedTo[revoke.AssignmentId].ToDeleteRequestInformation(), GraphOperations.RevokeConsent));
            if (changes.Any(c => c.Kind == ChangeKind.DeleteServicePrincipal) && servicePrincipalId != null)
                first.Add(new GraphCall("delete-sp", _client.ServicePrincipals[servicePrincipalId].ToDeleteRequestInformation(), GraphOperations.DeleteServicePrincipal));
            var consent = changes.Any(c => c.Kind == ChangeKind.GrantConsent);
            if (consent && servicePrincipalId != null)
                first.Add(ConsentCall(state, servicePrincipalId));

            var writeWatch = Stopwatch.StartNew();
            var replies = await ExecuteAsync(first, cancellationToken).ConfigureAwait(false);
            if (!writtenAlone) writeTook = writeWatch.Elapsed;
            var failures = new List<DropzoneException>();
            if (replies.TryGetValue("patch", out var patchReply) && !patchReply.IsSuccess) failures.Add(patchReply.ToException(GraphOperations.UpdateApplication));
            foreach (var reply in replies.Where(r => r.Key.StartsWith("revoke-")).Select(r => r.Value))
                if (!reply.IsSuccess && reply.Status != 404) failures.Add(reply.ToException(GraphOperations.RevokeConsent));
            if (replies.TryGetValue("delete-sp", out var deleteReply) && !deleteReply.IsSuccess && deleteReply.Status != 404)
                failures.Add(deleteReply.ToException(GraphOperations.DeleteServicePrincipal));
            ForgetDeleted(state, changes, replies);
            if (replies.TryGetValue("consent", out var consentReply) && !IsGrantedOrAlready(consentReply) && !IsReplicationLag(consentReply))
                failures.Add(consentReply.ToException(GraphOperations.GrantConsent));
            if (replies.TryGetValue("sp", out var spReply))
            {
                var created = await ReadCreatedServicePrincipalAsync(state.AppId, spReply, replicationTimeout, cancellationToken).ConfigureAwait(false);
                if (created.Failure != null) failures.Add(created.Failure);
                else
                {
                    servicePrincipalId = created.Id;
                    servicePrincipalReady?.Invoke(servicePrincipalId);
                }
                if (created.Existed) alreadyDone.Add(changes.First(c => c.Kind == ChangeKind.CreateServicePrincipal));
            }
            if (failures.Count > 0) throw failures[0];

            var result = new ApplyResult(servicePrincipalId) { AlreadyDone = alreadyDone };
            GraphReply verified = null;
            if (consent)
            {
                if (consentReply == null)
                {
                    // The consent for the service principal just created, by the id its POST
                    // returned. The read that checks the PATCH goes along: no round trip of its own,
                    // after the same wait as a check alone (VerifyWriteAsync).
                    var checkAlong = written != null && !writtenAlone;
                    if (checkAlong) await Task.Delay(VerifyDelay(writeTook), cancellationToken).ConfigureAwait(false);
                    var call = ConsentCall(state, servicePrincipalId);
                    var last = await ExecuteAsync(checkAlong ? new[] { call, VerifyCall(state) } : new[] { call }, cancellationToken).ConfigureAwait(false);
                    consentReply = last[call.Id];
                    last.TryGetValue(VerifyCallId, out verified);
                }
                // Entra ID refuses it while the new principal replicates: sent again until it takes
                // (GraphGateway.Replication.cs).
                var granted = IsReplicationLag(consentReply)
                    ? await GrantConsentAgainAsync(state, servicePrincipalId, replicationTimeout, result, cancellationToken).ConfigureAwait(false)
                    : await ConsentOutcomeAsync(state, consentReply, cancellationToken).ConfigureAwait(false);
                if (!granted) alreadyDone.Add(changes.First(c => c.Kind == ChangeKind.GrantConsent));
            }
            if (written != null) result.VerifiedApplication = await VerifyWriteAsync(state, written, verified, writeTook, cancellationToken).ConfigureAwait(false);
            return result;
        }

        private GraphCall CreateServicePrincipalCall(Guid appId) =>
            new GraphCall("sp", _client.ServicePrincipals.ToPostRequestInformation(new ServicePrincipal
            {
                AppId = appId.ToString(),
                // The portal lists under Enterprise applications only service principals with this
                // tag (resources/serviceprincipal.md, "tags"), and the vendor's procedure reads the
                // object id there. The module's own tag marks what Uninstall may delete.
                Tags = new List<string> { WellKnown.CreatedByTag, WellKnown.IntegratedAppTag },
            }), GraphOperations.CreateServicePrincipal);

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
        /// The app's service principal, polling with a growing pause for up to <paramref name="wait"/>
        /// while reads do not show it yet (replication); null when it never appears.
        /// </summary>
        public async Task<ServicePrincipalInfo> FindServicePrincipalAsync(Guid appId, TimeSpan wait, CancellationToken cancellationToken)
        {
            var found = await FindServicePrincipalAsync(appId, cancellationToken).ConfigureAwait(false);
            if (found != null) return found;
            await WaitForReplicationAsync($"The service principal of {appId} is not readable yet", wait,
                async () => (found = await FindServicePrincipalAsync(appId, cancellationToken).ConfigureAwait(false)) != null, cancellationToken).ConfigureAwait(false);
            return found;
        }
    }
}
