using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace Torture;

/// <summary>Trace calls in every kind of member.</summary>
public static class Members
{
    public static object? ExpressionBodiedMembers()
    {
        var s = new Shapes(Fx.I(2)) { Init = 6 };
        s.Fire();
        s.Value = Fx.I(5);
        return s.Value + s.Twice + s[3];
    }

    public static object? PropertiesAndIndexers()
    {
        var s = new Shapes(1);
        var v = s.Counted;
        s.Counted = Fx.I(4);
        s[Fx.I(1)] = Fx.I(7);
        var x = s[Fx.I(2)];
        s.Auto = 3;
        return v + s.Counted + x + s.Auto;
    }

    public static object? Operators()
    {
        var a = new Vec(Fx.I(1), 2);
        var b = new Vec(3, Fx.I(4));
        var c = a + b;
        var d = -c;
        var e = a == b;
        int n = c;
        Vec f = 5;
        var g = a++;
        return $"{c} {d} {e} {n} {f} {g} {a} {(c ? "true" : "false")}";
    }

    public static object? Constructors()
    {
        var a = new Ctors();
        var b = new Ctors(Fx.I(5));
        var c = new Derived(Fx.I(7));
        var s = new StructCtor(Fx.I(3));
        var d = new StructCtor();
        return $"{a.Value} {b.Value} {c.Value} {c.Extra} {s.Value} {d.Value}";
    }

    public static object? StaticConstructor() => WithStaticConstructor.Value;

    public static object? StaticFieldInitializer() => WithStaticFieldInitializer.Value;

    public static object? FieldInitializers()
    {
        var f = new WithFieldInitializers(Fx.I(2));
        f.OnCreate();
        return f.Computed;
    }

    public static object? Finalizer()
    {
        CreateGarbage(Fx.I(1));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return "collected";
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static void CreateGarbage(int id) => new Finalizable(id);

    public static object? EventAccessors()
    {
        var h = new WithEventAccessors();
        Action handler = () => Fx.Note("handler");
        h.Changed += handler;
        h.Changed -= handler;
        return h.Count;
    }

    public static object? StructMembers()
    {
        var m = new MutableStruct { Value = Fx.I(1) };
        m.Bump();
        m.Bump();
        var r = new ReadonlyStruct(Fx.I(3));
        return m.Value + r.Describe().Length;
    }

    public static object? RecordsAndWith()
    {
        var r = new Rec(Fx.I(1), "one");
        var s = r with { Number = Fx.I(2) };
        Events.TraceText(A.S(s.ToString()));
        return r.Equals(s);
    }

    public static object? PrimaryConstructors()
    {
        var p = new Primary(Fx.I(4), "p");
        return p.Describe();
    }

    public static object? GenericTypesAndMethods()
    {
        var box = new Holder<string>(Fx.V("held"));
        box.Fire();
        var n = new Holder<int>(Fx.I(5)).Map(v => v * 2);
        return n + Generic.Pick(1, "x", true);
    }

    public static object? ClosuresCapturingLocals()
    {
        var counter = Fx.I(0);
        Action increment = () =>
        {
            counter++;
            Events.TracePair(A.S("counter"), A.I(counter));
        };
        increment();
        increment();
        Func<int, Func<int>> nested = x => () =>
        {
            Events.Trace1(A.I(x + counter));
            return x;
        };
        var fn = nested(Fx.I(10));
        counter = 100;
        return fn() + counter;
    }

    public static object? LocalFunctions()
    {
        var captured = Fx.I(3);
        var total = Local(1) + StaticLocal(2) + Recursive(3);
        return total + captured;

        int Local(int x)
        {
            Events.TracePair(A.S("local"), A.I(x + captured));
            return x;
        }

        static int StaticLocal(int x)
        {
            Events.TracePair(A.S("static local"), A.I(x));
            return x;
        }

        int Recursive(int n)
        {
            Events.Trace1(A.I(n));
            return n <= 0 ? 0 : n + Recursive(n - 1);
        }
    }

    public static object? ExpressionBodiedLocalFunctionsAndLambdas()
    {
        var log = Fx.V("log");
        void Fire(int x) => Events.TracePair(A.S(log), A.I(x));
        static void FireStatic(int x) => Events.Trace1(A.I(x));
        Action<int> lambda = x => Events.Trace1(A.I(x * 10));
        Action noArgs = () => Events.Trace0();
        Action<string> method = Events.TraceText; // a method group: the event checks itself
        Fire(1);
        FireStatic(2);
        lambda(3);
        noArgs();
        method(Fx.V("via method group"));
        return log;
    }

    public static object? InstanceMethodsAndThis()
    {
        var w = new Widget(Fx.I(9));
        var poked = w.Poke(2);
        var c = new Counter();
        c.Add(2);
        c.Add(3);
        return poked + c.Total;
    }

    public static object? Deconstruction()
    {
        var (x, y) = new Vec(Fx.I(1), Fx.I(2));
        return x + y;
    }

    public static object? VirtualAndInterfaceMembers()
    {
        IShape s = new Square(Fx.I(3));
        var area = s.Area();
        Base b = new Derived(4);
        var described = b.Describe();
        return area + described;
    }

    public static object? DefaultInterfaceMethods()
    {
#if NET5_0_OR_GREATER
        IGreeter g = new Greeter();
        return g.Greet(Fx.V("you"));
#else
        Events.TraceText(A.S("no default interface methods on netstandard2.0"));
        return "you";
#endif
    }
}

public sealed class Shapes
{
    int _value;
    readonly int[] _items = new int[8];

    public Shapes(int value) => Events.TracePair(A.S("Shapes.ctor"), A.I(_value = value)); // the assignment is an argument too

    public void Fire() => Events.Trace1(A.I(_value));

    public int Value
    {
        get => _value;
        set => Events.TracePair(A.S("set Value"), A.I(_value = value));
    }

    public int Init
    {
        init => Events.Trace1(A.I(value));
    }

    public int Twice => Fx.I(_value * 2);

    public int Counted
    {
        get
        {
            Events.TraceText(A.S("get Counted"));
            return _value;
        }
        set
        {
            Events.TracePair(A.S("set Counted"), A.I(value));
            _value = value;
        }
    }

    public int Auto { get; set; }

    public int this[int index]
    {
        get
        {
            Events.TracePair(A.S("indexer get"), A.I(index));
            return _items[index];
        }
        set
        {
            _items[index] = value;
            Events.TracePair(A.S("indexer set"), A.I(value));
        }
    }
}

public readonly struct Vec
{
    public Vec(int x, int y)
    {
        X = x;
        Y = y;
        Events.TracePair(A.S("Vec"), A.I(x * 10 + y));
    }

    public int X { get; }
    public int Y { get; }

    public static Vec operator +(Vec a, Vec b)
    {
        Events.TracePair(A.S("+"), A.I(a.X + b.X));
        return new Vec(a.X + b.X, a.Y + b.Y);
    }

    public static Vec operator -(Vec a)
    {
        Events.Trace0();
        return new Vec(-a.X, -a.Y);
    }

    public static Vec operator ++(Vec a)
    {
        Events.TraceText(A.S("++"));
        return new Vec(a.X + 1, a.Y + 1);
    }

    public static bool operator ==(Vec a, Vec b)
    {
        Events.TraceText(A.S("=="));
        return a.X == b.X && a.Y == b.Y;
    }

    public static bool operator !=(Vec a, Vec b) => !(a == b);

    public static bool operator true(Vec a)
    {
        Events.TraceText(A.S("true"));
        return a.X != 0;
    }

    public static bool operator false(Vec a) => a.X == 0;

    public static implicit operator int(Vec v)
    {
        Events.TraceText(A.S("to int"));
        return v.X + v.Y;
    }

    public static implicit operator Vec(int n)
    {
        Events.Trace1(A.I(n));
        return new Vec(n, n);
    }

    public void Deconstruct(out int x, out int y)
    {
        Events.TraceText(A.S("Deconstruct"));
        x = X;
        y = Y;
    }

    public override bool Equals(object? obj) => obj is Vec v && this == v;
    public override int GetHashCode() => X ^ Y;
    public override string ToString() => $"<{X},{Y}>";
}

public class Ctors
{
    public Ctors() : this(Fx.I(1))
    {
        Events.TraceText(A.S("default ctor body"));
    }

    public Ctors(int value)
    {
        Events.Trace1(A.I(value));
        Value = value;
    }

    public int Value { get; }
}

public sealed class Derived : Base
{
    public Derived(int value) : base(Fx.I(value + 1))
    {
        Events.TracePair(A.S("Derived"), A.I(value));
        Extra = value;
    }

    public int Extra { get; }

    public override string Describe()
    {
        Events.TraceText(A.S("override"));
        return base.Describe() + "+";
    }
}

public abstract class Base : Ctors
{
    protected Base(int value) : base(value) => Events.TraceText(A.S("Base"));

    public virtual string Describe()
    {
        Events.TraceText(A.S("base Describe"));
        return "base";
    }
}

public struct StructCtor
{
    public int Value;

    public StructCtor(int value)
    {
        Events.Trace1(A.I(value));
        Value = value;
        Events.Trace1(A.I(Value * 2));
    }

    public StructCtor()
    {
        Value = -1;
        Events.Trace0();
    }
}

public static class WithStaticConstructor
{
    public static readonly int Value;

    static WithStaticConstructor()
    {
        Events.TraceText(A.S("cctor"));
        Value = Fx.I(42);
    }
}

public static class WithStaticFieldInitializer
{
    static readonly Action s_fire = () => Events.TraceText(A.S("from a static field's lambda"));
    public static readonly int Value = Compute(); // after s_fire: initializers run in order

    static int Compute()
    {
        Events.Trace1(A.I(7));
        s_fire();
        return 7;
    }
}

public sealed class WithFieldInitializers
{
    readonly int _seed;
    readonly Action _onCreate;
    readonly Func<int> _compute;

    public WithFieldInitializers(int seed)
    {
        _seed = seed;
        _onCreate = () => Events.Trace1(A.I(_seed));
        _compute = () => _seed * 3;
    }

    readonly List<int> _list = new() { Fx.I(1) };
    readonly Action _fromInitializer = () => Events.TraceText(A.S("initializer lambda"));

    public int Computed => _compute() + _list.Count;

    public void OnCreate()
    {
        _fromInitializer();
        _onCreate();
    }
}

public sealed class Finalizable
{
    readonly int _id;

    public Finalizable(int id) => _id = id;

    ~Finalizable()
    {
        Events.Trace1(A.I(_id));
        Fx.Note("finalized " + _id);
    }
}

public sealed class WithEventAccessors
{
    public int Count;

    public event Action Changed
    {
        add => Events.TracePair(A.S("add"), A.I(++Count));
        remove
        {
            Events.TracePair(A.S("remove"), A.I(Count));
            Count += 10;
        }
    }
}

public struct MutableStruct
{
    public int Value;

    public void Bump()
    {
        Events.Trace1(A.I(Value));
        Value++;
        Events.Trace1(A.I(Value));
    }
}

public readonly struct ReadonlyStruct
{
    readonly int _value;

    public ReadonlyStruct(int value) => _value = value;

    public string Describe()
    {
        Events.Trace1(A.I(_value));
        return "readonly " + _value;
    }
}

public sealed record Rec(int Number, string Name)
{
    public int Number { get; init; } = Fire(Number);

    static int Fire(int n)
    {
        Events.TracePair(A.S("record init"), A.I(n));
        return n;
    }
}

public sealed class Primary(int number, string name)
{
    public string Describe()
    {
        Events.TracePair(A.S(name), A.I(number));
        return name + number;
    }
}

public sealed class Holder<T>
{
    readonly T _value;

    public Holder(T value)
    {
        _value = value;
        Events.TraceObject(A.V(value));
    }

    public void Fire() => Events.TraceText(A.S(typeof(T).Name) + A.V(_value));

    public TResult Map<TResult>(Func<T, TResult> map)
    {
        var result = map(_value);
        Events.TraceObject(A.V(result));
        return result;
    }
}

public static class Generic
{
    public static string Pick<T1, T2, T3>(T1 a, T2 b, T3 c)
    {
        Events.TraceText(A.S($"{a}{b}{c}"));
        Events.TraceObject(A.V(c));
        return $"{a}";
    }
}

public sealed class Counter
{
    public int Total;

    public void Add(int n)
    {
        Total += n;
        Events.TracePair(A.S("add"), A.I(Total));
    }
}

public interface IShape
{
    int Area();
}

public sealed class Square : IShape
{
    readonly int _side;

    public Square(int side) => _side = side;

    int IShape.Area()
    {
        Events.Trace1(A.I(_side * _side));
        return _side * _side;
    }
}

#if NET5_0_OR_GREATER
public interface IGreeter
{
    string Greet(string who)
    {
        Events.TraceText(A.S("hello " + who));
        return "hello " + who;
    }
}

public sealed class Greeter : IGreeter
{
}
#endif
