using System.Xml.Linq;
using Fody;

namespace Tracing.Fody;

/// <summary>
/// The options of <c>&lt;Tracing /&gt;</c> in FodyWeavers.xml. Each is one property with its
/// default and one strict parser; every option is documented in Tracing.Fody.xcf.
/// </summary>
public sealed class WeaverConfig
{
    /// <summary>
    /// <c>LazyArguments</c> (default true): a call of an event evaluates its arguments only when a
    /// probe is attached.
    /// </summary>
    public bool LazyArguments { get; private set; } = true;

    /// <summary>Reads the options, rejecting unknown attributes and malformed values.</summary>
    public static WeaverConfig Read(XElement? element)
    {
        var config = new WeaverConfig();
        if (element is null) return config;
        foreach (var attribute in element.Attributes())
        {
            switch (attribute.Name.LocalName)
            {
                case "LazyArguments":
                    config.LazyArguments = ParseBool(attribute);
                    break;
                default:
                    throw new WeavingException(
                        $"FodyWeavers.xml: <Tracing> has no attribute '{attribute.Name.LocalName}'. Known attributes: LazyArguments.");
            }
        }
        return config;
    }

    static bool ParseBool(XAttribute attribute)
    {
        switch (attribute.Value.Trim().ToLowerInvariant())
        {
            case "true": return true;
            case "false": return false;
            default:
                throw new WeavingException(
                    $"FodyWeavers.xml: <Tracing {attribute.Name.LocalName}=\"{attribute.Value}\"> must be true or false.");
        }
    }
}
