using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Graph;
using Dropzone.ExoSetup.Engine.Model;

namespace Dropzone.ExoSetup.Engine.Planning
{
    /// <summary>
    /// The whole Entra ID half of the procedure as one plan: certificate, permission, service
    /// principal, consent and the Organization ID, read in one round trip. Applying it takes at most
    /// two more (one when the app already has its service principal), plus one per consent Entra ID
    /// refuses while a new service principal replicates (counted in ApplyResult.ReplicationRetries);
    /// on a tenant where all is done it is one read and no write.
    /// </summary>
    public sealed class GraphSetupPlan
    {
        internal GraphSetupPlan(ApplicationState state, IReadOnlyList<PlannedChange> changes, CertificateDetails existingCertificate)
        {
            State = state;
            Changes = changes;
            ExistingCertificate = existingCertificate;
        }

        public ApplicationState State { get; }
        public IReadOnlyList<PlannedChange> Changes { get; }

        /// <summary>The vendor's certificate when it is on the app already; null when the plan adds it.</summary>
        public CertificateDetails ExistingCertificate { get; }

        /// <summary>The certificate change (add, or remove expired ones), or null when the certificate needs none.</summary>
        public PlannedChange CertificateChange => Changes.FirstOrDefault(c => c.Kind == ChangeKind.AddCertificate || c.Kind == ChangeKind.RemoveCertificate);

        /// <summary>The permission, service principal and consent changes.</summary>
        public IReadOnlyList<PlannedChange> PermissionChanges => Changes.Where(c => c != CertificateChange).ToList();

        public static Task<GraphSetupPlan> CreateAsync(GraphGateway gateway, Guid appId, VendorCertificate certificate, string certificateName,
            bool skipConsent, CancellationToken cancellationToken) =>
            CreateAsync(gateway, appId, certificate, certificateName, skipConsent, removeExpiredCertificates: false, cancellationToken);

        /// <summary>As above; with <c>removeExpiredCertificates</c> the app's expired certificates go in the same write (-RemoveExpiredCertificate).</summary>
        public static Task<GraphSetupPlan> CreateAsync(GraphGateway gateway, Guid appId, VendorCertificate certificate, string certificateName,
            bool skipConsent, bool removeExpiredCertificates, CancellationToken cancellationToken) =>
            CreateAsync(gateway, appId, ApplicationParts.Consent | ApplicationParts.Organization, certificate, certificateName, removeExpiredCertificates,
                permission: true, skipConsent, cancellationToken);

        /// <summary>
        /// The plan of one or more Entra ID steps, from one read of <paramref name="parts"/>: the
        /// certificate when <paramref name="certificate"/> is given, Exchange.ManageAsApp (and
        /// consent unless <paramref name="skipConsent"/>) when <paramref name="permission"/>.
        /// </summary>
        public static async Task<GraphSetupPlan> CreateAsync(GraphGateway gateway, Guid appId, ApplicationParts parts, VendorCertificate certificate,
            string certificateName, bool removeExpiredCertificates, bool permission, bool skipConsent, CancellationToken cancellationToken)
        {
            var state = await gateway.ReadApplicationAsync(appId, parts, cancellationToken).ConfigureAwait(false);
            var changes = new List<PlannedChange>();
            CertificateDetails existing = null;
            if (certificate != null)
            {
                var addCertificate = ApplicationPlanner.PlanAddCertificate(state, certificate, certificateName, removeExpiredCertificates, DateTimeOffset.UtcNow, out existing);
                if (addCertificate != null) changes.Add(addCertificate);
            }
            if (permission) changes.AddRange(ApplicationPlanner.PlanPermission(state, skipConsent));
            return new GraphSetupPlan(state, changes, existing);
        }
    }
}
