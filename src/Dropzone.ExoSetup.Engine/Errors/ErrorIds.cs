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
        public const string OrganizationIdNotFound = "OrganizationIdNotFound";
        public const string UnexpectedError = "UnexpectedError";
    }
}
