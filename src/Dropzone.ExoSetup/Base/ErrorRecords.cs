using System;
using System.Management.Automation;
using Dropzone.ExoSetup.Engine.Errors;

namespace Dropzone.ExoSetup
{
    /// <summary>The one place an engine error becomes a PowerShell ErrorRecord.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(DropzoneException exception, object fallbackTarget)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), exception.Target ?? fallbackTarget);
            if (!string.IsNullOrEmpty(exception.RecommendedAction))
                record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.RecommendedAction };
            return record;
        }

        public static ErrorRecord Unexpected(Exception exception, object target) =>
            From(ErrorTranslator.Translate(exception, Engine.Graph.GraphOperations.Unknown), target);

        internal static ErrorCategory CategoryOf(ErrorKind kind)
        {
            switch (kind)
            {
                case ErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case ErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case ErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case ErrorKind.ResourceExists: return ErrorCategory.ResourceExists;
                case ErrorKind.NotConnected: return ErrorCategory.ConnectionError;
                case ErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case ErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case ErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case ErrorKind.SecurityError: return ErrorCategory.SecurityError;
                case ErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case ErrorKind.NotImplemented: return ErrorCategory.NotImplemented;
                case ErrorKind.ResourceBusy: return ErrorCategory.ResourceBusy;
                default: return ErrorCategory.InvalidOperation;
            }
        }
    }
}
