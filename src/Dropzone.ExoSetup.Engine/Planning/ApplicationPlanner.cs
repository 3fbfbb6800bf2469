using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Certificates;
using Dropzone.ExoSetup.Engine.Errors;
using Dropzone.ExoSetup.Engine.Model;
using Microsoft.Graph.Models;

namespace Dropzone.ExoSetup.Engine.Planning
{
    /// <summary>
    /// Compares what the app registration holds with what the procedure wants and plans the
    /// difference. Plain code over the state read from Graph: no I/O. Every collection it plans to
    /// write is the one read, entry for entry, with only the module's own entry added or removed.
    /// </summary>
    public static class ApplicationPlanner
    {
        /// <summary>
        /// Plans adding the vendor's certificate. Returns no change when a certificate with that
        /// thumbprint is already there; <paramref name="existing"/> then names it.
        /// </summary>
        public static PlannedChange PlanAddCertificate(ApplicationState state, VendorCertificate certificate, string displayName, out CertificateDetails existing) =>
            PlanAddCertificate(state, certificate, displayName, removeExpired: false, DateTimeOffset.UtcNow, out existing);

        /// <summary>
        /// As above; with <paramref name="removeExpired"/> the certificates expired at
        /// <paramref name="now"/> go in the same write (Graph may refuse any update that keeps one).
        /// When the vendor's certificate is there already, that removal is the plan on its own.
        /// </summary>
        public static PlannedChange PlanAddCertificate(ApplicationState state, VendorCertificate certificate, string displayName,
            bool removeExpired, DateTimeOffset now, out CertificateDetails existing)
        {
            existing = state.Certificates.FirstOrDefault(c => c.Thumbprint == certificate.Thumbprint);
            var expired = removeExpired ? ExpiredCertificates(state, now) : new List<CertificateDetails>();
            if (existing != null) return expired.Count == 0 ? null : PlanRemoveExpired(state, expired);
            RequireReadableKeys(state);

            var keyId = Guid.NewGuid();
            var removed = new HashSet<Guid>(expired.Select(c => c.KeyId));
            var credentials = state.KeyCredentials.Where(k => !removed.Contains(k.KeyId ?? Guid.Empty)).Select(Copy).ToList();
            credentials.Add(new KeyCredential
            {
                KeyId = keyId,
                Type = "AsymmetricX509Cert",
                Usage = "Verify",
                Key = certificate.RawData,
                DisplayName = displayName,
                StartDateTime = certificate.NotBefore,
                EndDateTime = certificate.NotAfter,
            });
            return new PlannedChange(ChangeKind.AddCertificate, Describe(state),
                $"Add certificate '{displayName}' (thumbprint {certificate.Thumbprint}, valid {certificate.NotBefore:yyyy-MM-dd} to {certificate.NotAfter:yyyy-MM-dd}), keeping the {state.KeyCredentials.Count - expired.Count} certificate(s) already there"
                + (expired.Count > 0 ? $", and remove {DescribeExpired(expired)}" : string.Empty))
            {
                KeyCredentials = credentials,
                KeyId = keyId,
                RemovedCertificates = expired,
            };
        }

        /// <summary>The app's certificates that have expired at <paramref name="now"/>.</summary>
        public static List<CertificateDetails> ExpiredCertificates(ApplicationState state, DateTimeOffset now) =>
            state.Certificates.Where(c => c.NotAfter.HasValue && c.NotAfter.Value <= now).ToList();

        /// <summary>"2 expired certificate(s): THUMB 'name' (expired 2025-01-01), ...": for -WhatIf, the summary and the errors.</summary>
        public static string DescribeExpired(IReadOnlyCollection<CertificateDetails> expired) =>
            $"{expired.Count} expired certificate(s): " + string.Join(", ", expired.Select(c => $"{c.Thumbprint} '{c.DisplayName}' (expired {c.NotAfter:yyyy-MM-dd})"));

        private static PlannedChange PlanRemoveExpired(ApplicationState state, List<CertificateDetails> expired)
        {
            RequireReadableKeys(state);
            var removed = new HashSet<Guid>(expired.Select(c => c.KeyId));
            var remaining = state.KeyCredentials.Where(k => !removed.Contains(k.KeyId ?? Guid.Empty)).Select(Copy).ToList();
            return new PlannedChange(ChangeKind.RemoveCertificate, Describe(state),
                $"Remove {DescribeExpired(expired)}, keeping the {remaining.Count} other(s)")
            {
                KeyCredentials = remaining,
                RemovedCertificates = expired,
            };
        }

        /// <summary>Plans removing one certificate, by thumbprint or keyId, keeping all the others.</summary>
        public static PlannedChange PlanRemoveCertificate(ApplicationState state, string thumbprint, Guid? keyId)
        {
            var wanted = CertificateReader.NormalizeThumbprint(thumbprint);
            var target = state.Certificates.FirstOrDefault(c =>
                (keyId.HasValue && c.KeyId == keyId.Value) || (!string.IsNullOrEmpty(wanted) && c.Thumbprint == wanted));
            if (target == null)
                throw DropzoneErrors.CertificateNotFound(state, wanted, keyId);
            RequireReadableKeys(state);
            var remaining = state.KeyCredentials.Where(k => k.KeyId != target.KeyId).Select(Copy).ToList();
            return new PlannedChange(ChangeKind.RemoveCertificate, Describe(state),
                $"Remove certificate '{target.DisplayName}' (thumbprint {target.Thumbprint}, keyId {target.KeyId}), keeping the {remaining.Count} other(s)")
            {
                KeyCredentials = remaining,
                KeyId = target.KeyId,
            };
        }

        /// <summary>
        /// Plans Exchange.ManageAsApp: request it, create the app's service principal when missing,
        /// and grant admin consent unless <paramref name="skipConsent"/>. Empty when all is in place.
        /// </summary>
        public static IReadOnlyList<PlannedChange> PlanPermission(ApplicationState state, bool skipConsent)
        {
            var changes = new List<PlannedChange>();
            if (!state.PermissionRequested)
            {
                changes.Add(new PlannedChange(ChangeKind.RequestPermission, Describe(state),
                    $"Add the application permission {WellKnown.ManageAsAppRoleName} of Office 365 Exchange Online to the API permissions, keeping the {state.RequiredResourceAccess.Sum(r => r.ResourceAccess?.Count ?? 0)} already there")
                {
                    RequiredResourceAccess = WithManageAsApp(state.RequiredResourceAccess),
                });
            }
            if (state.ServicePrincipal == null)
            {
                changes.Add(new PlannedChange(ChangeKind.CreateServicePrincipal, Describe(state),
                    "Create the app's service principal (Enterprise application)"));
            }
            if (!skipConsent && !state.PermissionConsented)
            {
                if (state.ExchangeResource == null || !state.ExchangeResourceRoles.Contains(WellKnown.ManageAsAppRoleId))
                    throw DropzoneErrors.ExchangeResourceNotFound();
                changes.Add(new PlannedChange(ChangeKind.GrantConsent, Describe(state),
                    $"Grant admin consent to {WellKnown.ManageAsAppRoleName} (an app role assignment to Office 365 Exchange Online)"));
            }
            return changes;
        }

        /// <summary>
        /// Plans taking the integration out of the app registration, touching nothing else: the
        /// consent, the Exchange.ManageAsApp entry (and the Exchange entry when it becomes empty), the
        /// vendor's certificates (those with the given thumbprints, else those named 'Dropzone AI')
        /// unless <paramref name="keepCertificate"/>, and the service principal when the module
        /// created it and nothing else is assigned to it.
        /// </summary>
        public static IReadOnlyList<PlannedChange> PlanUninstall(ApplicationState state, IReadOnlyCollection<string> thumbprints, bool keepCertificate)
        {
            var changes = new List<PlannedChange>();
            var consent = state.ConsentAssignment;
            if (consent != null)
                changes.Add(new PlannedChange(ChangeKind.RevokeConsent, Describe(state),
                    $"Remove the admin consent to {WellKnown.ManageAsAppRoleName} (app role assignment {consent.Id})") { AssignmentId = consent.Id });
            if (state.PermissionRequested)
                changes.Add(new PlannedChange(ChangeKind.RemovePermission, Describe(state),
                    $"Remove the application permission {WellKnown.ManageAsAppRoleName} from the API permissions, keeping every other")
                    { RequiredResourceAccess = WithoutManageAsApp(state.RequiredResourceAccess) });
            if (!keepCertificate)
            {
                var wanted = (thumbprints ?? new string[0]).Select(CertificateReader.NormalizeThumbprint).Where(t => !string.IsNullOrEmpty(t)).ToList();
                var targets = state.Certificates.Where(c => wanted.Count > 0
                    ? wanted.Contains(c.Thumbprint)
                    : string.Equals(c.DisplayName, WellKnown.DefaultDisplayName, StringComparison.Ordinal)).ToList();
                if (targets.Count > 0)
                {
                    RequireReadableKeys(state);
                    var removed = new HashSet<Guid>(targets.Select(t => t.KeyId));
                    changes.Add(new PlannedChange(ChangeKind.RemoveCertificate, Describe(state),
                        $"Remove {targets.Count} certificate(s) ({string.Join(", ", targets.Select(t => t.Thumbprint))}), keeping the {state.KeyCredentials.Count - targets.Count} other(s)")
                    {
                        KeyCredentials = state.KeyCredentials.Where(k => !removed.Contains(k.KeyId ?? Guid.Empty)).Select(Copy).ToList(),
                    });
                }
            }
            if (state.ServicePrincipal != null && state.ServicePrincipal.CreatedByModule && state.OtherAssignmentCount == 0)
                changes.Add(new PlannedChange(ChangeKind.DeleteServicePrincipal, Describe(state),
                    $"Delete the service principal {state.ServicePrincipal.ObjectId}, which this module created"));
            return changes;
        }

        /// <summary>
        /// Drops approved changes that cannot be made without one that was declined: consent needs
        /// the service principal, so it goes when its creation was declined.
        /// </summary>
        public static List<PlannedChange> WithoutUnmetDependencies(ApplicationState state, IReadOnlyList<PlannedChange> approved)
        {
            var hasPrincipal = state.ServicePrincipal != null || approved.Any(c => c.Kind == ChangeKind.CreateServicePrincipal);
            return approved.Where(c => c.Kind != ChangeKind.GrantConsent || hasPrincipal).ToList();
        }

        internal static string Describe(ApplicationState state) => $"application '{state.DisplayName}' ({state.AppId})";

        private static List<RequiredResourceAccess> WithManageAsApp(IReadOnlyList<RequiredResourceAccess> existing) =>
            WithPermission(existing, WellKnown.ExchangeOnlineAppId.ToString(), WellKnown.ManageAsAppRoleId, "Role");

        private static List<RequiredResourceAccess> WithoutManageAsApp(IReadOnlyList<RequiredResourceAccess> existing) =>
            WithoutPermission(existing, WellKnown.ExchangeOnlineAppId.ToString(), WellKnown.ManageAsAppRoleId, "Role");

        /// <summary>A copy of <paramref name="existing"/> with one more permission of one API (its entry created when missing).</summary>
        internal static List<RequiredResourceAccess> WithPermission(IReadOnlyList<RequiredResourceAccess> existing, string resourceAppId, Guid id, string type)
        {
            var result = existing.Select(Copy).ToList();
            var entry = result.FirstOrDefault(r => string.Equals(r.ResourceAppId, resourceAppId, StringComparison.OrdinalIgnoreCase));
            if (entry == null)
            {
                entry = new RequiredResourceAccess { ResourceAppId = resourceAppId, ResourceAccess = new List<ResourceAccess>() };
                result.Add(entry);
            }
            entry.ResourceAccess.Add(new ResourceAccess { Id = id, Type = type });
            return result;
        }

        /// <summary>A copy of <paramref name="existing"/> without one permission (its API's entry dropped when that leaves it empty).</summary>
        internal static List<RequiredResourceAccess> WithoutPermission(IReadOnlyList<RequiredResourceAccess> existing, string resourceAppId, Guid id, string type)
        {
            var result = new List<RequiredResourceAccess>();
            foreach (var entry in existing.Select(Copy))
            {
                if (string.Equals(entry.ResourceAppId, resourceAppId, StringComparison.OrdinalIgnoreCase))
                {
                    entry.ResourceAccess = entry.ResourceAccess.Where(a => !(a.Id == id && a.Type == type)).ToList();
                    if (entry.ResourceAccess.Count == 0) continue;
                }
                result.Add(entry);
            }
            return result;
        }

        internal static void RequireReadableKeys(ApplicationState state)
        {
            var unreadable = state.Certificates.Where(c => !c.KeyReadable).ToList();
            if (unreadable.Count == 0) return;
            throw DropzoneErrors.ExistingCertificateUnreadable(state, unreadable);
        }

        // Fresh objects, every property set: the SDK sends only what was set on an object, so an
        // object read from Graph would go back empty. Unknown properties travel in AdditionalData.
        internal static KeyCredential Copy(KeyCredential k) => new KeyCredential
        {
            KeyId = k.KeyId,
            Key = k.Key,
            DisplayName = k.DisplayName,
            StartDateTime = k.StartDateTime,
            EndDateTime = k.EndDateTime,
            Type = k.Type,
            Usage = k.Usage,
            CustomKeyIdentifier = k.CustomKeyIdentifier,
            AdditionalData = new Dictionary<string, object>(k.AdditionalData ?? new Dictionary<string, object>()),
        };

        internal static RequiredResourceAccess Copy(RequiredResourceAccess r) => new RequiredResourceAccess
        {
            ResourceAppId = r.ResourceAppId,
            ResourceAccess = (r.ResourceAccess ?? new List<ResourceAccess>())
                .Select(a => new ResourceAccess { Id = a.Id, Type = a.Type, AdditionalData = new Dictionary<string, object>(a.AdditionalData ?? new Dictionary<string, object>()) })
                .ToList(),
            AdditionalData = new Dictionary<string, object>(r.AdditionalData ?? new Dictionary<string, object>()),
        };
    }
}
