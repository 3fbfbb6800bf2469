using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Exchange;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;

namespace Dropzone.ExoSetup.Engine.Steps
{
    /// <summary>
    /// Test-DropzoneExoIntegration: each step's own check, read-only, one result per check with what
    /// to do about a failure. The Exchange checks are Skipped (with the reason) without a session.
    /// The last result carries the values for the Dropzone AI UI's form (<see cref="CheckResult.Form"/>).
    /// </summary>
    public static class IntegrationTest
    {
        /// <summary>
        /// Every check for <c>appId</c>. <c>exchangeSession</c> is null without an Exchange session
        /// (<c>notConnected</c> then says why); <c>certificateFile</c> is the vendor's certificate
        /// file to look for (shown as <c>certificatePathAsGiven</c>), or null for any named
        /// 'Dropzone AI'; <c>wait</c> is how long reads may take to show what this session just created.
        /// </summary>
        public static IReadOnlyList<CheckResult> Run(IStepHost host, GraphGateway graph, Guid appId, IExchangeGateway exchangeSession, DropzoneException notConnected,
            string certificateFile, string certificatePathAsGiven, TimeSpan wait)
        {
            var exchange = exchangeSession == null ? null : new ExchangeLookup(exchangeSession, appId);
            // Exchange's two reads (its service principals, then the named assignment) run here while
            // the Graph read is in flight. Right after Install in this session, reads may not show the
            // new service principal or consent yet: read again until they do, rather than report them missing.
            var state = host.Run(cancel => graph.ReadApplicationSettledAsync(appId, ApplicationParts.Consent | ApplicationParts.Organization, wait, cancel),
                exchange == null ? null : (Action)(() => exchange.ReadAhead(assignments: true)));

            // The APIs of the app's other application permissions, to name them: one more round trip,
            // only when the app asks any.
            var apisToRead = OtherPermissionsStep.ApisToRead(state);
            var apis = apisToRead.Count == 0
                ? new Dictionary<Guid, ResourceApi>()
                : host.Run(cancel => graph.ReadResourceApisAsync(apisToRead, cancel));

            var now = DateTimeOffset.UtcNow;
            var checks = new List<CheckResult>();
            checks.AddRange(CertificateStep.Check(state, certificateFile, certificatePathAsGiven, now, host.Log.Warning));
            checks.Add(ClientSecretStep.Check(state, now));
            checks.AddRange(PermissionStep.Check(state, wait));
            checks.AddRange(OtherPermissionsStep.Check(state, apis));
            checks.Add(OrganizationIdStep.Check(state.Organization));
            if (exchange == null)
            {
                checks.AddRange(TransportHygieneStep.NotConnected(notConnected));
            }
            else
            {
                var registered = exchange.Registered;
                checks.Add(ExchangeServicePrincipalStep.Check(state, registered));
                checks.Add(TransportHygieneStep.Check(state, exchange, registered));
            }
            // Last, the values to paste into the Dropzone AI UI.
            checks.Add(DropzoneForm.From(state).ToCheck());
            return checks;
        }

        /// <summary>No check failed (Warn and Skipped are not failures): what -Quiet returns.</summary>
        public static bool Passed(IEnumerable<CheckResult> checks) => checks.All(c => c.Status != CheckStatus.Fail);
    }
}
