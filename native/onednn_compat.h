// Primitive descriptors built the same way on oneDNN 2.x (Debian 12's libdnnl-dev 2.6) and
// 3.x (newer distributions). 3.0 dropped the operation descriptors (`X::desc`) and takes the
// engine and attributes in each primitive descriptor's constructor instead.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace calibra::onednn {

using dnnl::memory;
using dnnl::primitive_attr;

#if DNNL_VERSION_MAJOR >= 3

inline void append_eltwise(dnnl::post_ops &ops, dnnl::algorithm alg, float alpha, float beta) {
  ops.append_eltwise(alg, alpha, beta);
}

inline dnnl::convolution_forward::primitive_desc conv_forward(
    const dnnl::engine &e, dnnl::prop_kind prop, const memory::desc &src, const memory::desc &weights,
    const memory::desc &bias, const memory::desc &dst, const memory::dims &strides, const memory::dims &dilates,
    const memory::dims &pad_l, const memory::dims &pad_r, const primitive_attr &attr) {
  return {e, prop, dnnl::algorithm::convolution_direct, src, weights, bias, dst, strides, dilates, pad_l, pad_r, attr};
}

inline dnnl::convolution_backward_data::primitive_desc conv_backward_data(
    const dnnl::engine &e, const memory::desc &diff_src, const memory::desc &weights, const memory::desc &diff_dst,
    const memory::dims &strides, const memory::dims &dilates, const memory::dims &pad_l, const memory::dims &pad_r,
    const dnnl::convolution_forward::primitive_desc &hint, const primitive_attr &attr) {
  return {e, dnnl::algorithm::convolution_direct, diff_src, weights, diff_dst, strides, dilates, pad_l, pad_r,
          hint, attr};
}

inline dnnl::convolution_backward_weights::primitive_desc conv_backward_weights(
    const dnnl::engine &e, const memory::desc &src, const memory::desc &diff_weights, const memory::desc &diff_dst,
    const memory::dims &strides, const memory::dims &dilates, const memory::dims &pad_l, const memory::dims &pad_r,
    const dnnl::convolution_forward::primitive_desc &hint, const primitive_attr &attr) {
  // An empty bias descriptor: tfjs takes the bias gradient as a sum of dy elsewhere.
  return {e,       dnnl::algorithm::convolution_direct, src, diff_weights, memory::desc(), diff_dst, strides,
          dilates, pad_l, pad_r, hint, attr};
}

inline dnnl::pooling_forward::primitive_desc pool_forward(
    const dnnl::engine &e, dnnl::prop_kind prop, dnnl::algorithm alg, const memory::desc &src,
    const memory::desc &dst, const memory::dims &strides, const memory::dims &kernel, const memory::dims &pad_l,
    const memory::dims &pad_r, const primitive_attr &attr) {
  return {e, prop, alg, src, dst, strides, kernel, memory::dims(strides.size(), 0), pad_l, pad_r, attr};
}

inline dnnl::pooling_backward::primitive_desc pool_backward(
    const dnnl::engine &e, dnnl::algorithm alg, const memory::desc &diff_src, const memory::desc &diff_dst,
    const memory::dims &strides, const memory::dims &kernel, const memory::dims &pad_l, const memory::dims &pad_r,
    const dnnl::pooling_forward::primitive_desc &hint, const primitive_attr &attr) {
  return {e, alg, diff_src, diff_dst, strides, kernel, memory::dims(strides.size(), 0), pad_l, pad_r, hint, attr};
}

inline dnnl::matmul::primitive_desc mat_mul(const dnnl::engine &e, const memory::desc &src,
                                            const memory::desc &weights, const memory::desc &bias,
                                            const memory::desc &dst, const primitive_attr &attr) {
  return {e, src, weights, bias, dst, attr};
}

#else

inline void append_eltwise(dnnl::post_ops &ops, dnnl::algorithm alg, float alpha, float beta) {
  ops.append_eltwise(1.f, alg, alpha, beta);
}

inline dnnl::convolution_forward::primitive_desc conv_forward(
    const dnnl::engine &e, dnnl::prop_kind prop, const memory::desc &src, const memory::desc &weights,
    const memory::desc &bias, const memory::desc &dst, const memory::dims &strides, const memory::dims &dilates,
    const memory::dims &pad_l, const memory::dims &pad_r, const primitive_attr &attr) {
  dnnl::convolution_forward::desc d(prop, dnnl::algorithm::convolution_direct, src, weights, bias, dst, strides,
                                    dilates, pad_l, pad_r);
  return {d, attr, e};
}

inline dnnl::convolution_backward_data::primitive_desc conv_backward_data(
    const dnnl::engine &e, const memory::desc &diff_src, const memory::desc &weights, const memory::desc &diff_dst,
    const memory::dims &strides, const memory::dims &dilates, const memory::dims &pad_l, const memory::dims &pad_r,
    const dnnl::convolution_forward::primitive_desc &hint, const primitive_attr &attr) {
  dnnl::convolution_backward_data::desc d(dnnl::algorithm::convolution_direct, diff_src, weights, diff_dst, strides,
                                          dilates, pad_l, pad_r);
  return {d, attr, e, hint};
}

inline dnnl::convolution_backward_weights::primitive_desc conv_backward_weights(
    const dnnl::engine &e, const memory::desc &src, const memory::desc &diff_weights, const memory::desc &diff_dst,
    const memory::dims &strides, const memory::dims &dilates, const memory::dims &pad_l, const memory::dims &pad_r,
    const dnnl::convolution_forward::primitive_desc &hint, const primitive_attr &attr) {
  dnnl::convolution_backward_weights::desc d(dnnl::algorithm::convolution_direct, src, diff_weights, diff_dst,
                                             strides, dilates, pad_l, pad_r);
  return {d, attr, e, hint};
}

inline dnnl::pooling_forward::primitive_desc pool_forward(
    const dnnl::engine &e, dnnl::prop_kind prop, dnnl::algorithm alg, const memory::desc &src,
    const memory::desc &dst, const memory::dims &strides, const memory::dims &kernel, const memory::dims &pad_l,
    const memory::dims &pad_r, const primitive_attr &attr) {
  dnnl::pooling_forward::desc d(prop, alg, src, dst, strides, kernel, pad_l, pad_r);
  return {d, attr, e};
}

inline dnnl::pooling_backward::primitive_desc pool_backward(
    const dnnl::engine &e, dnnl::algorithm alg, const memory::desc &diff_src, const memory::desc &diff_dst,
    const memory::dims &strides, const memory::dims &kernel, const memory::dims &pad_l, const memory::dims &pad_r,
    const dnnl::pooling_forward::primitive_desc &hint, const primitive_attr &attr) {
  dnnl::pooling_backward::desc d(alg, diff_src, diff_dst, strides, kernel, pad_l, pad_r);
  return {d, attr, e, hint};
}

inline dnnl::matmul::primitive_desc mat_mul(const dnnl::engine &e, const memory::desc &src,
                                            const memory::desc &weights, const memory::desc &bias,
                                            const memory::desc &dst, const primitive_attr &attr) {
  dnnl::matmul::desc d(src, weights, bias, dst);
  return {d, attr, e};
}

#endif

}  // namespace calibra::onednn
