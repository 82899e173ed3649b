global using Winnow;
global using Winnow.Kernels;
