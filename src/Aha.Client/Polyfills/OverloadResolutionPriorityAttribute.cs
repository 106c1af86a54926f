#if !NET9_0_OR_GREATER
namespace System.Runtime.CompilerServices
{
    // .NET 9 added this attribute; the C# 13+ compiler recognises it by name, so older targets get this copy.
    // Used so that CustomFieldUpdate.Set("key", null) picks the string overload instead of being ambiguous.
    [AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
    internal sealed class OverloadResolutionPriorityAttribute : Attribute
    {
        public OverloadResolutionPriorityAttribute(int priority) => Priority = priority;

        public int Priority { get; }
    }
}
#endif
