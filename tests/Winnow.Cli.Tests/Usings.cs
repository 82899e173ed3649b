global using Winnow;
