namespace Dropzone.ExoSetup.Engine.Errors
{
    /// <summary>
    /// The stable ErrorIds the module reports. Scripts and support match on these, so a value never
    /// changes once released; add new ones instead.
    /// </summary>
    public static class ErrorIds
    {
        public const string GraphNotConnected = "GraphNotConnected";
        public const string InsecureEndpoint = "InsecureEndpoint";
        public const string InvalidGraphEndpoint = "InvalidGraphEndpoint";
        public const string InvalidSignInParameters = "InvalidSignInParameters";
        public const string SignInFailed = "SignInFailed";
        public const string InsufficientPrivileges = "InsufficientPrivileges";
        public const string GraphRequestFailed = "GraphRequestFailed";
        public const string GraphUnreachable = "GraphUnreachable";
        public const string CertificateFileNotFound = "CertificateFileNotFound";
        public const string CertificateInvalid = "CertificateInvalid";
        public const string CertificateNotFoundInStore = "CertificateNotFoundInStore";
        public const string CertificateHasPrivateKey = "CertificateHasPrivateKey";
        public const string CertificateExpired = "CertificateExpired";
        public const string CertificateThumbprintMismatch = "CertificateThumbprintMismatch";
        public const string InvalidThumbprint = "InvalidThumbprint";
        public const string CertificateNotFound = "CertificateNotFound";
        public const string ExistingCertificateUnreadable = "ExistingCertificateUnreadable";
        public const string ExpiredCertificateOnApplication = "ExpiredCertificateOnApplication";
        public const string ApplicationNotFound = "ApplicationNotFound";
        public const string ApplicationAmbiguous = "ApplicationAmbiguous";
        public const string ServicePrincipalNotFound = "ServicePrincipalNotFound";
        public const string ExchangeResourceNotFound = "ExchangeResourceNotFound";
        public const string ReplicationTimeout = "ReplicationTimeout";
        public const string ExchangeNotConnected = "ExchangeNotConnected";
        public const string ExchangeServicePrincipalMissing = "ExchangeServicePrincipalMissing";
        public const string ExchangeServicePrincipalMismatch = "ExchangeServicePrincipalMismatch";
        public const string ExchangeReplicationTimeout = "ExchangeReplicationTimeout";
        public const string ExchangeCommandFailed = "ExchangeCommandFailed";
        public const string ExchangeOrganizationNotCustomized = "ExchangeOrganizationNotCustomized";
        public const string ExchangeSessionExpired = "ExchangeSessionExpired";
        public const string OrganizationIdNotFound = "OrganizationIdNotFound";
        public const string UnexpectedError = "UnexpectedError";
        public const string TenantMismatch = "TenantMismatch";
        public const string GraphTokenRejected = "GraphTokenRejected";
        public const string ConcurrentUpdate = "ConcurrentUpdate";
        public const string ClientSecretNotFound = "ClientSecretNotFound";
        public const string ClientSecretLifetimeExceedsPolicy = "ClientSecretLifetimeExceedsPolicy";
        public const string TenantConsentRequired = "TenantConsentRequired";
        public const string TenantNotFound = "TenantNotFound";
        public const string TenantSignInFailed = "TenantSignInFailed";
        public const string TenantTokenMismatch = "TenantTokenMismatch";
        public const string InvalidTenantRow = "InvalidTenantRow";
    }
}
