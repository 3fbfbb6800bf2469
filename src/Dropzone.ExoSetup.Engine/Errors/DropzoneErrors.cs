using System;
using System.Collections.Generic;
using System.Linq;
using Dropzone.ExoSetup.Engine.Model;

namespace Dropzone.ExoSetup.Engine.Errors
{
    /// <summary>
    /// Every error the module reports, one factory per error: its ErrorId, kind, message and
    /// recommended action are written here once, beside <see cref="ErrorIds"/>, and the code that
    /// detects a failure only names it. (Graph and sign-in failures are mapped by
    /// <see cref="ErrorTranslator"/>, in this folder too.)
    /// </summary>
    public static class DropzoneErrors
    {
        // Connection

        public static DropzoneException GraphNotConnected() =>
            new DropzoneException(ErrorIds.GraphNotConnected, ErrorKind.NotConnected,
                "Not connected to Microsoft Graph.",
                "Run Connect-DropzoneGraph first (in Azure Cloud Shell it signs in as you without parameters).");

        public static DropzoneException ExchangeNotConnected(string why, string action) =>
            new DropzoneException(ErrorIds.ExchangeNotConnected, ErrorKind.NotConnected,
                "Not connected to Exchange Online: " + why,
                $"Run {action}.");

        public static DropzoneException InsecureEndpoint(Uri endpoint) =>
            new DropzoneException(ErrorIds.InsecureEndpoint, ErrorKind.SecurityError,
                $"The Graph endpoint '{endpoint}' uses plain http. A token would travel unencrypted, so http is accepted only for this machine (127.0.0.0/8, ::1, localhost).",
                "Use https, or a loopback address for a local emulator.", endpoint);

        public static DropzoneException InvalidGraphEndpoint(Uri endpoint, string why) =>
            new DropzoneException(ErrorIds.InvalidGraphEndpoint, ErrorKind.InvalidArgument,
                $"The Graph endpoint '{endpoint}' cannot be used: {why}.",
                "Pass -GraphEndpoint as the root of the Graph service, e.g. https://graph.microsoft.us, or leave it out and pick -Environment.", endpoint);

        public static DropzoneException InvalidSignInParameters(string message) =>
            new DropzoneException(ErrorIds.InvalidSignInParameters, ErrorKind.InvalidArgument, message,
                "See Get-Help Connect-DropzoneGraph -Parameter * for the ways to sign in.");

        public static DropzoneException TenantMismatch(string actual, string requested) =>
            new DropzoneException(ErrorIds.TenantMismatch, ErrorKind.InvalidArgument,
                $"The token is for tenant {actual}, not for -TenantId {requested}. The previous connection (if any) was kept.",
                "Sign in to the intended tenant (Connect-DropzoneGraph -UseDeviceCode -TenantId <tenant>), or leave out -TenantId.", requested);

        /// <summary>-Certificate for app-only sign-in without its private key.</summary>
        public static DropzoneException SignInCertificateWithoutPrivateKey(string thumbprint) =>
            new DropzoneException(ErrorIds.CertificateInvalid, ErrorKind.InvalidArgument,
                $"The certificate {thumbprint} has no private key, so it cannot sign in.",
                "Pass a certificate with its private key (from the certificate store or a .pfx file).", thumbprint);

        public static DropzoneException SignInCertificateFileNotFound(string path) =>
            new DropzoneException(ErrorIds.CertificateFileNotFound, ErrorKind.NotFound,
                $"The certificate file '{path}' does not exist.",
                "Check the path passed to -CertificatePath.", path);

        public static DropzoneException SignInCertificateUnreadable(string path, Exception e) =>
            new DropzoneException(ErrorIds.CertificateInvalid, ErrorKind.InvalidData,
                $"The certificate file '{path}' could not be read: {e.Message}",
                "Check the file and its password.", path, innerException: e);

        public static DropzoneException CertificateNotFoundInStore(string thumbprint) =>
            new DropzoneException(ErrorIds.CertificateNotFoundInStore, ErrorKind.NotFound,
                $"No certificate with thumbprint {thumbprint} and a private key is in the CurrentUser or LocalMachine 'My' store.",
                "Import the certificate with its private key, or use -CertificatePath.", thumbprint);

        /// <summary>InsufficientPrivileges found before anything is written (the token's claims fall short of the plan).</summary>
        public static DropzoneException InsufficientPrivileges(string kind, string details, string held, string consent, string remedy, string names) =>
            new DropzoneException(ErrorIds.InsufficientPrivileges, ErrorKind.PermissionDenied,
                $"The signed-in token lacks the Microsoft Graph {kind}(s) {details}, so nothing was changed. It holds: {held}. {consent}",
                $"Run {remedy}, then run the command again.",
                names);

        // The vendor's certificate

        public static DropzoneException CertificateFileNotFound(string path) =>
            new DropzoneException(ErrorIds.CertificateFileNotFound, ErrorKind.NotFound,
                $"The certificate file '{path}' does not exist.",
                "Download the certificate (<tenant>.dropzone.app.crt) from the Dropzone AI UI (Settings > Integrations > MS 365/Defender) and pass its path.", path);

        public static DropzoneException CertificateFileUnreadable(string path, Exception e) =>
            new DropzoneException(ErrorIds.CertificateFileNotFound, ErrorKind.NotFound,
                $"The certificate file '{path}' cannot be read: {e.Message}", "Check the path and its permissions.", path, innerException: e);

        public static DropzoneException CertificateTooLarge(string path, long? length) =>
            new DropzoneException(ErrorIds.CertificateInvalid, ErrorKind.InvalidData,
                $"{path} cannot be read as a certificate: it is {(length.HasValue ? $"{length.Value / 1048576.0:0.#} MiB" : "larger than 1 MiB")}, and a certificate file is a few KB (at most 1 MiB is read).",
                "Pass the .crt file downloaded from the Dropzone AI UI (PEM, DER or base64).", path);

        public static DropzoneException CertificateInvalid(string source, string why) =>
            new DropzoneException(ErrorIds.CertificateInvalid, ErrorKind.InvalidData,
                $"{source} cannot be read as a certificate: {why}.",
                "Pass the .crt file downloaded from the Dropzone AI UI (PEM, DER or base64).", source);

        public static DropzoneException InvalidThumbprint(string expectedThumbprint) =>
            new DropzoneException(ErrorIds.InvalidThumbprint, ErrorKind.InvalidArgument,
                $"'{expectedThumbprint}' is not a certificate thumbprint (40 hexadecimal characters).",
                "Copy the thumbprint exactly as the Dropzone AI UI shows it.", expectedThumbprint);

        public static DropzoneException CertificateThumbprintMismatch(string source, string thumbprint, string expected) =>
            new DropzoneException(ErrorIds.CertificateThumbprintMismatch, ErrorKind.InvalidData,
                $"The certificate in {source} has the thumbprint {thumbprint}, not {expected} as expected.",
                "Download the certificate again from the Dropzone AI UI, or check the thumbprint you passed to -ExpectedThumbprint.", thumbprint);

        public static DropzoneException CertificateExpired(string source, string thumbprint, DateTimeOffset notAfter) =>
            new DropzoneException(ErrorIds.CertificateExpired, ErrorKind.InvalidData,
                $"The certificate {thumbprint} in {source} expired on {notAfter:yyyy-MM-dd HH:mm} UTC.",
                "Download the current certificate from the Dropzone AI UI.", thumbprint);

        public static DropzoneException CertificateHasPrivateKey(string source) =>
            new DropzoneException(ErrorIds.CertificateHasPrivateKey, ErrorKind.SecurityError,
                $"{source} holds a private key. Dropzone AI keeps its private key, so this is not the vendor's certificate, and a private key must not be handled here.",
                "Use the public certificate (.crt) downloaded from the Dropzone AI UI; delete stray copies of private keys.", source);

        // The app registration

        public static DropzoneException ApplicationNotFoundByName(string displayName) =>
            new DropzoneException(ErrorIds.ApplicationNotFound, ErrorKind.NotFound,
                $"No app registration named '{displayName}' was found in this tenant.",
                "Check the name under Entra ID > App registrations > All applications, or pass -ApplicationId.", displayName);

        public static DropzoneException ApplicationNotFound(string what) =>
            new DropzoneException(ErrorIds.ApplicationNotFound, ErrorKind.NotFound,
                $"No app registration {what} was found in this tenant.",
                "Check the Application (client) ID under Entra ID > App registrations > All applications, or the tenant you are connected to (Get-DropzoneGraphContext).", what);

        public static DropzoneException ApplicationAmbiguous(string displayName, IReadOnlyCollection<Guid> appIds) =>
            new DropzoneException(ErrorIds.ApplicationAmbiguous, ErrorKind.InvalidArgument,
                $"{appIds.Count} app registrations are named '{displayName}': {string.Join(", ", appIds)}.",
                "Pass the right one's Application (client) ID with -ApplicationId.", displayName);

        public static DropzoneException CertificateNotFound(ApplicationState state, string thumbprint, Guid? keyId) =>
            new DropzoneException(ErrorIds.CertificateNotFound, ErrorKind.NotFound,
                $"The app registration '{state.DisplayName}' ({state.AppId}) has no certificate {(keyId.HasValue ? "with keyId " + keyId : "with thumbprint " + thumbprint)}.",
                "List its certificates with Get-DropzoneCertificate.", (object)keyId ?? thumbprint);

        public static DropzoneException ExistingCertificateUnreadable(ApplicationState state, IReadOnlyCollection<CertificateDetails> unreadable) =>
            new DropzoneException(ErrorIds.ExistingCertificateUnreadable, ErrorKind.InvalidData,
                $"Graph did not return the key of {unreadable.Count} certificate(s) already on '{state.DisplayName}' (keyId {string.Join(", ", unreadable.Select(c => c.KeyId))}). " +
                "Writing the certificate list without them would delete them, so nothing was changed.",
                "Run the command again; if it persists, add the certificate in the portal (Certificates & secrets > Upload certificate).", state.AppId);

        public static DropzoneException ExpiredCertificateOnApplication(ApplicationState state, IReadOnlyCollection<CertificateDetails> expired) =>
            new DropzoneException(ErrorIds.ExpiredCertificateOnApplication, ErrorKind.InvalidData,
                $"Graph refused to update the certificates of '{state.DisplayName}' ({state.AppId}) because it holds {expired.Count} expired certificate(s): "
                + string.Join("; ", expired.Select(c => $"{c.Thumbprint} '{c.DisplayName}' expired {c.NotAfter:yyyy-MM-dd}")) + ". Nothing was changed.",
                "Run the command again with -RemoveExpiredCertificate to remove the expired certificates in the same update (Install-DropzoneCertificate or Install-DropzoneExoIntegration), or remove them in the portal (Certificates & secrets).",
                state.AppId);

        public static DropzoneException ConcurrentUpdate(string appName, Guid appId, int writes, IEnumerable<string> lost) =>
            new DropzoneException(ErrorIds.ConcurrentUpdate, ErrorKind.ResourceBusy,
                $"Someone else is changing {appName} at the same time: another writer undid each of this run's {writes} writes, and {string.Join("; ", lost)} is lost (not on the app).",
                "Find out who else is changing the app (an admin in the portal, a script, another run of this module; Entra ID > Audit logs), wait until they are done, then run the command again: it keeps what they added.",
                appId);

        // Many tenants (a partner's customers)

        public static DropzoneException TenantSignInFailed(string tenant, Exception e)
        {
            var text = e.ToString();
            if (text.IndexOf("AADSTS65001", StringComparison.Ordinal) >= 0)
                return new DropzoneException(ErrorIds.TenantConsentRequired, ErrorKind.PermissionDenied,
                    $"Tenant {tenant} has not consented to the app the module signs in with (AADSTS65001), so no token for it can be had silently; nothing was read or written there.",
                    "An administrator of that tenant grants admin consent to Microsoft Graph Command Line Tools (or to the -ClientId app) once; GDAP does not consent inline with sign-in. Then run the same command again: it retries only what is missing.",
                    tenant, innerException: e);
            if (text.IndexOf("AADSTS90002", StringComparison.Ordinal) >= 0)
                return new DropzoneException(ErrorIds.TenantNotFound, ErrorKind.NotFound,
                    $"Tenant {tenant} was not found (AADSTS90002); nothing was read or written there.",
                    "Check the row's TenantId: the customer's tenant id (GUID) or its initial *.onmicrosoft.com domain.", tenant, innerException: e);
            return new DropzoneException(ErrorIds.TenantSignInFailed, ErrorKind.AuthenticationError,
                $"No token for tenant {tenant} could be had for the signed-in account: {FirstLine(e.Message)}",
                "Check that the account has a GDAP relationship (or is a member) with that tenant, with the roles the set-up needs; for many tenants sign in with Connect-DropzoneGraph -UseDeviceCode.",
                tenant, innerException: e);
        }

        public static DropzoneException TenantTokenMismatch(string tenant, string actual) =>
            new DropzoneException(ErrorIds.TenantTokenMismatch, ErrorKind.AuthenticationError,
                $"The token the sign-in gave for tenant {tenant} is for tenant {actual ?? "(unknown)"}; nothing was read or written there.",
                "Sign in with Connect-DropzoneGraph -UseDeviceCode (a token given with -AccessToken is for one tenant only), then run the command again.", tenant);

        public static DropzoneException InvalidTenantRow(string tenant, string why) =>
            new DropzoneException(ErrorIds.InvalidTenantRow, ErrorKind.InvalidArgument,
                $"The row of tenant {(string.IsNullOrEmpty(tenant) ? "(no TenantId)" : tenant)} cannot be used: {why}. Nothing was read or written there.",
                "Each row needs TenantId (GUID or initial domain), CertificatePath and ExpectedThumbprint; ApplicationId (a GUID) and DisplayName are optional.", tenant);

        private static string FirstLine(string text) => (text ?? string.Empty).Split('\n')[0].Trim();

        // Client secrets

        public static DropzoneException ClientSecretNotFound(ApplicationState state, IReadOnlyCollection<Guid> keyIds) =>
            new DropzoneException(ErrorIds.ClientSecretNotFound, ErrorKind.NotFound,
                $"The app registration '{state.DisplayName}' ({state.AppId}) has no client secret with keyId {string.Join(", ", keyIds)}; " +
                (state.ClientSecrets.Count == 0 ? "it has none." : "it holds " + string.Join(", ", state.ClientSecrets.Select(s => s.Describe())) + ".") + " Nothing was removed.",
                "Pass the keyId of a secret the app holds (Test-DropzoneExoIntegration and Get-DropzoneApplication list them), or -Expired.", keyIds.First());

        public static DropzoneException ClientSecretLifetimeExceedsPolicy(ApplicationState state, TimeSpan asked, string policyId, TimeSpan? cap, string why) =>
            new DropzoneException(ErrorIds.ClientSecretLifetimeExceedsPolicy, ErrorKind.InvalidArgument,
                $"The tenant's app management policy{(policyId == null ? string.Empty : " " + policyId)} caps the lifetime of new client secrets on '{state.DisplayName}'" +
                (cap.HasValue ? $" at {Days(cap.Value)} days" : $" (its cap could not be read: {why})") +
                $"; {Days(asked)} days were asked. Nothing was added.",
                cap.HasValue
                    ? $"Run New-DropzoneClientSecret again with -ValidDays {Math.Max(1, (int)Math.Floor(cap.Value.TotalDays))} or less."
                    : "Ask for fewer days with -ValidDays, or read the cap in the Entra admin center (Enterprise applications > App management policies).",
                state.AppId);

        /// <summary>addPassword got no answer (or 503/504): Graph may have made a secret whose value nobody saw. Not sent again.</summary>
        public static DropzoneException ClientSecretOutcomeUnknown(ApplicationState state, DropzoneException e) =>
            new DropzoneException(e.ErrorId, e.Kind,
                e.Message + $" A client secret may have been added to '{state.DisplayName}' without its value reaching you; it was not sent again, so that no second one is made.",
                $"List the app's secrets (Get-DropzoneApplication -ApplicationId {state.AppId} | Select-Object -ExpandProperty ClientSecrets); remove one made now with Remove-DropzoneClientSecret -KeyId, then run New-DropzoneClientSecret again.",
                state.AppId, e.GraphError, e);

        private static string Days(TimeSpan span) => span.TotalDays.ToString(span.TotalDays % 1 == 0 ? "0" : "0.##", System.Globalization.CultureInfo.InvariantCulture);

        // Permission, consent and the service principal

        public static DropzoneException ExchangeResourceNotFound() =>
            new DropzoneException(ErrorIds.ExchangeResourceNotFound, ErrorKind.NotFound,
                $"Office 365 Exchange Online (appId {WellKnown.ExchangeOnlineAppId}) has no service principal with the {WellKnown.ManageAsAppRoleName} app role in this tenant, so consent cannot be granted.",
                "Check that the tenant has Exchange Online (a Microsoft 365 subscription); then run the command again, or use -SkipConsent and grant consent in the portal.", WellKnown.ExchangeOnlineAppId);

        /// <summary>The app has no service principal in Entra ID (Get-DropzoneServicePrincipal).</summary>
        public static DropzoneException ServicePrincipalNotFound(Guid appId) =>
            new DropzoneException(ErrorIds.ServicePrincipalNotFound, ErrorKind.NotFound,
                $"The application {appId} has no service principal (Enterprise application) in this tenant.",
                $"Run Grant-DropzoneExoPermission -ApplicationId {appId}: it creates the service principal and grants consent.", appId);

        /// <summary>The Exchange step needs the service principal in Entra ID first (New-DropzoneExoServicePrincipal).</summary>
        public static DropzoneException ServicePrincipalNotFoundForExchange(Guid appId) =>
            new DropzoneException(ErrorIds.ServicePrincipalNotFound, ErrorKind.NotFound,
                $"The application {appId} has no service principal (Enterprise application) in Entra ID.",
                $"Run Grant-DropzoneExoPermission -ApplicationId {appId} first: it creates the service principal.", appId);

        public static DropzoneException ServicePrincipalNotVisible(Guid appId, TimeSpan timeout) =>
            new DropzoneException(ErrorIds.ReplicationTimeout, ErrorKind.OperationTimeout,
                $"The service principal of {appId} exists (Graph answered 409) but stayed invisible to reads for {timeout.TotalSeconds:0} s.",
                "Wait a few minutes for Entra ID to replicate, then run the command again (or pass a larger -TimeoutSeconds).", appId);

        public static DropzoneException ConsentReplicationTimeout(string principalId, TimeSpan timeout, int attempts, string lastAnswer) =>
            new DropzoneException(ErrorIds.ReplicationTimeout, ErrorKind.OperationTimeout,
                $"Entra ID refused admin consent for the new service principal {principalId} for {timeout.TotalSeconds:0} s ({attempts} attempts; last answer: {lastAnswer}): it has not replicated yet.",
                "Entra ID can take several minutes to replicate a new service principal. Wait, then run the command again (or pass a larger -TimeoutSeconds): the service principal is kept and consent is granted once.",
                principalId);

        // Organization ID

        /// <summary>The tenant has no initial (*.onmicrosoft.com) domain: the Organization ID is unknown.</summary>
        public static DropzoneException OrganizationIdNotFound(string tenantId) =>
            new DropzoneException(ErrorIds.OrganizationIdNotFound, ErrorKind.NotFound,
                (string.IsNullOrEmpty(tenantId) ? "The tenant" : $"The tenant {tenantId}") + " has no verified domain marked isInitial, so the Organization ID is unknown.",
                "Look for the *.onmicrosoft.com domain under Entra ID > Custom domain names.", tenantId);

        public static DropzoneException OrganizationMissing() =>
            new DropzoneException(ErrorIds.GraphRequestFailed, ErrorKind.InvalidData,
                "Graph returned no organization for this tenant.", "Check that the account signs in to the intended tenant.");

        public static DropzoneException BatchReplyMissing(string label) =>
            new DropzoneException(ErrorIds.GraphRequestFailed, ErrorKind.InvalidData,
                $"Graph's batch answer has no reply for '{label}'.", "Run the command again.");

        // Exchange Online

        public static DropzoneException ExchangeServicePrincipalMismatch(Guid appId, string registeredObjectId, string enterpriseObjectId) =>
            new DropzoneException(ErrorIds.ExchangeServicePrincipalMismatch, ErrorKind.InvalidData,
                $"Exchange Online has a service principal for {appId} with ObjectId {registeredObjectId}, but the app's Enterprise application is {enterpriseObjectId}. " +
                "It was probably registered with the app registration's object id.",
                $"Remove it with Remove-ServicePrincipal -Identity {registeredObjectId}, then run this command again.", registeredObjectId);

        public static DropzoneException ExchangeServicePrincipalMissing(Guid appId) =>
            new DropzoneException(ErrorIds.ExchangeServicePrincipalMissing, ErrorKind.NotFound,
                $"Exchange Online has no service principal for the application {appId}, so no role can be assigned to it.",
                $"Run New-DropzoneExoServicePrincipal -ApplicationId {appId} first.", appId);

        /// <summary>
        /// An Exchange cmdlet failed: a dehydrated tenant and an expired session get their own ids
        /// (recognised by <see cref="Exchange.ExchangeErrorText"/>), anything else ExchangeCommandFailed.
        /// </summary>
        public static DropzoneException ExchangeCommandFailed(Exchange.ExchangeCommandException e)
        {
            if (Exchange.ExchangeErrorText.IsOrganizationNotCustomized(e.Message)) return ExchangeOrganizationNotCustomized(e);
            if (Exchange.ExchangeErrorText.IsSessionExpired(e.Message)) return ExchangeSessionExpired(e);
            return ExchangeCommandFailedAsIs(e);
        }

        public static DropzoneException ExchangeOrganizationNotCustomized(Exchange.ExchangeCommandException e) =>
            new DropzoneException(ErrorIds.ExchangeOrganizationNotCustomized, ErrorKind.InvalidOperation,
                $"{e.Command} failed: this tenant's Exchange Online organization has never been customised, so Exchange refuses role changes until Enable-OrganizationCustomization has been run. Exchange said: {e.Message}",
                "Run Enable-OrganizationCustomization yourself (a one-time, tenant-wide change; it can take a while to take effect; the module never runs it), then run the same command again: the Entra ID steps and the Exchange service principal already done are kept.",
                e.Command, innerException: e);

        public static DropzoneException ExchangeSessionExpired(Exchange.ExchangeCommandException e) =>
            new DropzoneException(ErrorIds.ExchangeSessionExpired, ErrorKind.NotConnected,
                $"{e.Command} failed: the Exchange Online session has expired. Exchange said: {e.Message}",
                $"Run {e.SignIn ?? Connection.ExchangeSignIn.Command()}, then run the same command again: it resumes, and the steps already finished report AlreadyDone.",
                e.Command, innerException: e);

        private static DropzoneException ExchangeCommandFailedAsIs(Exchange.ExchangeCommandException e) =>
            new DropzoneException(ErrorIds.ExchangeCommandFailed, ErrorKind.InvalidOperation,
                $"{e.Command} failed: {e.Message}",
                "Check the message from Exchange Online above; see Get-Help about_Dropzone_ExoSetup (TROUBLESHOOTING).", e.Command, innerException: e);

        public static DropzoneException ExchangeReplicationTimeout(string command, TimeSpan timeout, Exception e) =>
            new DropzoneException(ErrorIds.ExchangeReplicationTimeout, ErrorKind.OperationTimeout,
                $"{command} kept failing for {timeout.TotalSeconds:0} s because Exchange Online does not know the service principal yet: {e.Message}",
                "Entra ID can take several minutes to replicate a new service principal to Exchange Online. Wait, then run the command again (or pass a larger -TimeoutSeconds).",
                command, innerException: e);
    }
}
