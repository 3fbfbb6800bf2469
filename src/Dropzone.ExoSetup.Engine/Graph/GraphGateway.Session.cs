using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Diagnostics;
using Dropzone.ExoSetup.Engine.Model;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Graph
{
    public sealed partial class GraphGateway
    {
        // How long replication retries keep their first, short pause (WaitForReplicationAsync).
        private static readonly TimeSpan SteadyPolling = TimeSpan.FromSeconds(10);

        /// <summary>What this session created and reads have not shown yet (replication).</summary>
        public SessionMemory Created { get; } = new SessionMemory();

        /// <summary>
        /// The state as read, completed with what this session created and the read missed: a
        /// service principal or consent made moments ago is not created again, and is not reported
        /// missing. Whatever a read does show is forgotten: the tenant is the truth from then on.
        /// </summary>
        private ApplicationState WithSessionMemory(Guid appId, Application application, ServicePrincipal sp, ServicePrincipal exo,
            List<AppRoleAssignment> assignments, OrganizationInfo organization, ApplicationParts parts)
        {
            var spFromSession = false;
            var consentFromSession = false;
            if (parts.HasFlag(ApplicationParts.ServicePrincipal))
            {
                var rememberedSp = Created.ServicePrincipalOf(appId);
                if (sp == null && rememberedSp != null)
                {
                    sp = rememberedSp;
                    spFromSession = true;
                }
                else if (rememberedSp != null)
                {
                    if (!string.Equals(sp.Id, rememberedSp.Id, StringComparison.OrdinalIgnoreCase)) Created.ForgetServicePrincipal(appId);
                    else Created.ForgetServicePrincipal(appId, keepConsent: true);
                }
            }
            if (parts.HasFlag(ApplicationParts.Consent))
            {
                var rememberedConsent = Created.ConsentOf(appId);
                if (rememberedConsent != null)
                {
                    assignments = assignments ?? new List<AppRoleAssignment>();
                    if (assignments.Any(a => a.Id == rememberedConsent.Id)) Created.ForgetConsent(appId);
                    else if (sp != null && string.Equals(rememberedConsent.PrincipalId?.ToString(), sp.Id, StringComparison.OrdinalIgnoreCase))
                    {
                        assignments = assignments.Concat(new[] { rememberedConsent }).ToList();
                        consentFromSession = true;
                    }
                }
            }
            if (spFromSession || consentFromSession)
                OperationScope.Log.Verbose($"Reads do not show yet what this session created for {appId} ({(spFromSession ? "service principal " + sp.Id : "")}{(spFromSession && consentFromSession ? ", " : "")}{(consentFromSession ? "admin consent" : "")}): using what its creation returned (Entra ID replication).");
            return new ApplicationState(application, sp, exo, assignments, organization, spFromSession, consentFromSession);
        }

        /// <summary>
        /// Reads the app registration like <see cref="ReadApplicationAsync"/>, and while something
        /// this session created is not visible to reads yet, reads again with growing pauses (and
        /// progress) for up to <paramref name="wait"/>. Returns the last state read; its
        /// <see cref="ApplicationState.AwaitingReplication"/> tells whether the wait ran out.
        /// </summary>
        public async Task<ApplicationState> ReadApplicationSettledAsync(Guid appId, ApplicationParts parts, TimeSpan wait, CancellationToken cancellationToken)
        {
            var state = await ReadApplicationAsync(appId, parts, cancellationToken).ConfigureAwait(false);
            if (!state.AwaitingReplication) return state;
            var watch = Stopwatch.StartNew();
            var reads = 1;
            await WaitForReplicationAsync($"What this session created for {appId} is not readable yet", wait, async () =>
            {
                state = await ReadApplicationAsync(appId, parts, cancellationToken).ConfigureAwait(false);
                reads++;
                return !state.AwaitingReplication;
            }, cancellationToken).ConfigureAwait(false);
            OperationScope.Log.Verbose(state.AwaitingReplication
                ? $"After {reads} reads in {watch.Elapsed.TotalSeconds:0.#} s, reads still do not show what this session created for {appId}."
                : $"Reads show what this session created for {appId} after {reads} reads in {watch.Elapsed.TotalSeconds:0.#} s.");
            return state;
        }

        /// <summary>
        /// The app's service principal; when reads do not show it yet but this session created it,
        /// the one its creation returned (no wait, no ServicePrincipalNotFound). Null when it has none.
        /// </summary>
        public Task<ServicePrincipalInfo> FindKnownServicePrincipalAsync(Guid appId, CancellationToken cancellationToken) =>
            FindKnownServicePrincipalAsync(appId, TimeSpan.Zero, cancellationToken);

        /// <summary>
        /// As above; when this session did not create it either, reads are repeated for up to
        /// <paramref name="wait"/> (someone else may have created it moments ago).
        /// </summary>
        public async Task<ServicePrincipalInfo> FindKnownServicePrincipalAsync(Guid appId, TimeSpan wait, CancellationToken cancellationToken)
        {
            var found = await FindServicePrincipalAsync(appId, cancellationToken).ConfigureAwait(false);
            var remembered = Created.ServicePrincipalOf(appId);
            if (found != null)
            {
                if (remembered != null) Created.ForgetServicePrincipal(appId, keepConsent: true);
                return found;
            }
            if (remembered == null)
                return wait > TimeSpan.Zero ? await FindServicePrincipalAsync(appId, wait, cancellationToken).ConfigureAwait(false) : null;
            OperationScope.Log.Verbose($"Reads do not show the service principal {remembered.Id} of {appId} yet (Entra ID replication); it is the one this session created.");
            return ServicePrincipalInfo.From(remembered);
        }

        /// <summary>
        /// Runs <paramref name="attempt"/> until it returns true or <paramref name="wait"/> has passed,
        /// pausing 0.5 s each time for the first 10 s, then half as long again each time, up to 5 s, with a progress bar. Returns
        /// whether it succeeded and how many attempts it took.
        /// </summary>
        private static async Task<(bool Succeeded, int Attempts)> WaitForReplicationAsync(string what, TimeSpan wait, Func<Task<bool>> attempt, CancellationToken cancellationToken)
        {
            var log = OperationScope.Log;
            const int activity = 4713;
            const string title = "Waiting for Entra ID replication";
            var watch = Stopwatch.StartNew();
            var pause = TimeSpan.FromMilliseconds(500);
            var attempts = 0;
            try
            {
                while (true)
                {
                    var left = wait - watch.Elapsed;
                    if (left <= TimeSpan.Zero) return (false, attempts);
                    log.Progress(new OperationProgress(activity, title, $"{what}; {left.TotalSeconds:0} s left",
                        (int)Math.Min(99, 100 * watch.Elapsed.TotalSeconds / Math.Max(wait.TotalSeconds, 0.001)), (int)left.TotalSeconds));
                    await Task.Delay(pause < left ? pause : left, cancellationToken).ConfigureAwait(false);
                    attempts++;
                    if (await attempt().ConfigureAwait(false)) return (true, attempts);
                    // Every half second for the first ten seconds (a replication lag is mostly a few
                    // seconds, and a Graph request costs a round trip, not a second), then growing by
                    // half up to 5 s.
                    if (watch.Elapsed > SteadyPolling)
                        pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 3 / 2, TimeSpan.FromSeconds(5).Ticks));
                }
            }
            finally
            {
                log.Progress(new OperationProgress(activity, title, "Done", completed: true));
            }
        }
    }
}
