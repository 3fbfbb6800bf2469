namespace Dropzone.ExoSetup.Engine.Diagnostics
{
    /// <summary>
    /// Where the engine reports what it is doing. Engine work runs off the pipeline thread; the cmdlet
    /// layer queues these calls and writes them to PowerShell's streams from the pipeline thread.
    /// Nothing passed here may contain a token, an Authorization header or key material.
    /// </summary>
    public interface IOperationLog
    {
        void Verbose(string message);
        void Debug(string message);
        void Warning(string message);
        void Progress(OperationProgress progress);
    }

    /// <summary>A progress report: an activity, what it is doing now, and how far it is (-1 when unknown).</summary>
    public sealed class OperationProgress
    {
        public OperationProgress(int activityId, string activity, string status, int percentComplete = -1, int secondsRemaining = -1, bool completed = false)
        {
            ActivityId = activityId;
            Activity = activity;
            Status = status;
            PercentComplete = percentComplete;
            SecondsRemaining = secondsRemaining;
            Completed = completed;
        }

        public int ActivityId { get; }
        public string Activity { get; }
        public string Status { get; }
        public int PercentComplete { get; }
        public int SecondsRemaining { get; }
        public bool Completed { get; }
    }

    /// <summary>A log that drops everything: for callers that do not listen.</summary>
    public sealed class NullOperationLog : IOperationLog
    {
        public static readonly NullOperationLog Instance = new NullOperationLog();
        public void Verbose(string message) { }
        public void Debug(string message) { }
        public void Warning(string message) { }
        public void Progress(OperationProgress progress) { }
    }
}
