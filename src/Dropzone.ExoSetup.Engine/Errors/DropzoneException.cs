using System;

namespace Dropzone.ExoSetup.Engine.Errors
{
    /// <summary>
    /// The one exception the engine lets out. Everything else (Graph, Azure.Identity, HTTP) is
    /// translated into it by <see cref="ErrorTranslator"/>, so the cmdlets have a single thing to turn
    /// into an ErrorRecord.
    /// </summary>
    public sealed class DropzoneException : Exception
    {
        public DropzoneException(string errorId, ErrorKind kind, string message, string recommendedAction = null,
            object target = null, GraphErrorDetail graphError = null, Exception innerException = null)
            : base(message, innerException)
        {
            ErrorId = errorId;
            Kind = kind;
            RecommendedAction = recommendedAction;
            Target = target;
            GraphError = graphError;
        }

        public string ErrorId { get; }
        public ErrorKind Kind { get; }
        public string RecommendedAction { get; }
        public object Target { get; }
        public GraphErrorDetail GraphError { get; }
    }
}
