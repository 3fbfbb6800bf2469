namespace Dropzone.ExoSetup.Engine.Errors
{
    /// <summary>
    /// What kind of failure an error is. The cmdlet layer maps each kind to one PowerShell
    /// ErrorCategory; the engine stays free of PowerShell types.
    /// </summary>
    public enum ErrorKind
    {
        InvalidArgument,
        InvalidData,
        NotFound,
        ResourceExists,
        NotConnected,
        PermissionDenied,
        AuthenticationError,
        ConnectionError,
        SecurityError,
        InvalidOperation,
        OperationTimeout,
        NotImplemented,

        /// <summary>Someone else is changing the same object at the same time.</summary>
        ResourceBusy,
    }
}
